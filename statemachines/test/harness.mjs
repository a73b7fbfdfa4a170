// Runs statemachines/*.asl.json with aws-local-stepfunctions, every Task answered by a mock, and
// records what each execution did: the states it entered, the Choice branches it took, the task
// calls (parameters and the role ARN from the Task's Credentials), the poll intervals it waited.

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+); this project runs on Node 20.
if (!Promise.withResolvers) {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';

export const STATEMACHINES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PLACEHOLDERS = {
  TableName: 'gameservers',
  QuotaTableName: 'gameserver-quotas',
  AccountPoolTableName: 'stackfleet-workload-accounts',
  GameServerTemplateUrlPrefix: 'https://stackfleet-templates.s3.amazonaws.com/templates/',
  CloudFormationExecutionRoleName: 'stackfleet-cloudformation-execution',
  StackWaitsTableName: 'stackfleet-stack-waits',
  ReleasesTableName: 'stackfleet-releases',
};
/** The state that waits for a stack's status change event, with a timeout as the fallback. */
export const EVENT_WAIT = 'AwaitStackEvent';
export const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAWtest-task-token';
const BRANCH_PREFIX = '__branch__';
const ROLE_KEY = '__credentialsRoleArn';

export function readAsl(name) {
  return readFileSync(join(STATEMACHINES_DIR, `${name}.asl.json`), 'utf8');
}

export function loadDefinition(name) {
  const text = readAsl(name).replace(/\$\{(\w+)\}/g, (whole, key) => {
    if (!(key in PLACEHOLDERS)) throw new Error(`unknown placeholder ${whole} in ${name}`);
    return PLACEHOLDERS[key];
  });
  return JSON.parse(text);
}

/** Every state of a definition by name, those inside a Map's ItemProcessor included (names are unique per machine). */
export function allStates(definition) {
  const states = {};
  for (const [name, state] of Object.entries(definition.States)) {
    states[name] = state;
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) Object.assign(states, allStates(nested));
  }
  return states;
}

/** Choice branches of a definition: "State#0", "State#1", ..., "State#default". */
export function choiceBranches(definition) {
  const branches = [];
  for (const [name, state] of Object.entries(allStates(definition))) {
    if (state.Type !== 'Choice') continue;
    state.Choices.forEach((_, i) => branches.push(`${name}#${i}`));
    if (state.Default) branches.push(`${name}#default`);
  }
  return branches;
}

/**
 * A copy of the definition instrumented for observation, with unchanged behaviour:
 * - every Choice rule and Default goes through its own pass-through Pass state, so that the branch
 *   taken is visible in the event log;
 * - the role ARN that a Task's Credentials asks for is added to the parameters the mock receives
 *   (the local engine does not evaluate Credentials), and Credentials removed;
 * - a TimeoutSecondsPath is dropped: the engine would read it from the task's parameters instead of the
 *   state input, and a mock's answer (States.Timeout or a result) decides how a wait ends anyway.
 */
function instrument(definition) {
  const copy = structuredClone(definition);
  instrumentStates(copy);
  return copy;
}

function instrumentStates(copy) {
  const added = {};
  for (const [name, state] of Object.entries(copy.States)) {
    const nested = state.ItemProcessor ?? state.Iterator;
    if (nested) instrumentStates(nested);
    if (state.Type === 'Choice') {
      state.Choices.forEach((rule, i) => {
        const hop = `${BRANCH_PREFIX}${name}#${i}`;
        added[hop] = { Type: 'Pass', Next: rule.Next };
        rule.Next = hop;
      });
      if (state.Default) {
        const hop = `${BRANCH_PREFIX}${name}#default`;
        added[hop] = { Type: 'Pass', Next: state.Default };
        state.Default = hop;
      }
    }
    if (state.Type === 'Task' && state.Credentials) {
      const path = state.Credentials['RoleArn.$'];
      if (!path) throw new Error(`${name}: Credentials without RoleArn.$`);
      state.Parameters = { ...state.Parameters, [`${ROLE_KEY}.$`]: path };
      delete state.Credentials;
    }
    delete state.TimeoutSecondsPath;
  }
  Object.assign(copy.States, added);
}

/** A task failure as Step Functions reports it: Error name and Cause text. */
export class TaskError extends Error {
  constructor(error, cause) {
    super(cause);
    this.name = error;
  }
}
export const fail = (error, cause) => new TaskError(error, cause);
/** A task failure without a Cause (Step Functions allows it: the error output then has only Error). */
export function failWithoutCause(error) {
  const e = new TaskError(error);
  Object.defineProperty(e, 'message', { value: undefined });
  return e;
}

/** Records which states and branches all executions of one machine covered. */
export class Coverage {
  constructor(definition) {
    this.states = Object.keys(allStates(definition));
    this.branches = choiceBranches(definition);
    this.visitedStates = new Map(this.states.map((s) => [s, 0]));
    this.takenBranches = new Map(this.branches.map((b) => [b, 0]));
  }
  record(run) {
    for (const s of run.path) this.visitedStates.set(s, (this.visitedStates.get(s) ?? 0) + 1);
    for (const b of run.branches) this.takenBranches.set(b, (this.takenBranches.get(b) ?? 0) + 1);
  }
  table() {
    const rows = [
      ...[...this.visitedStates].map(([name, n]) => ['state', name, n]),
      ...[...this.takenBranches].map(([name, n]) => ['branch', name, n]),
    ];
    const width = Math.max(...rows.map((r) => r[1].length));
    return rows.map(([kind, name, n]) => `${kind.padEnd(6)} ${name.padEnd(width)} ${String(n).padStart(4)}${n === 0 ? '  NOT COVERED' : ''}`).join('\n');
  }
  missing() {
    return [
      ...[...this.visitedStates].filter(([, n]) => n === 0).map(([s]) => `state ${s}`),
      ...[...this.takenBranches].filter(([, n]) => n === 0).map(([b]) => `branch ${b}`),
    ];
  }
}

/**
 * Runs one execution. `mocks` maps a Task state name to a list of answers, used in order: a plain
 * value is the task result, a TaskError is thrown, a function is called with the task's parameters
 * and its result used the same way. A call beyond the list fails the execution with error
 * "Test.UnexpectedCall" (and is reported in `unexpected`). Without answers for the event wait
 * (EVENT_WAIT), every event is lost: each wait ends by its timeout, which is plain polling.
 */
export async function execute(definition, input, mocks, { executionName = 'gs-0123456789abcdefghij-create-g1', coverage } = {}) {
  const instrumented = instrument(definition);
  const calls = [];
  const unexpected = [];
  const remaining = Object.fromEntries(Object.entries(mocks).map(([k, v]) => [k, [...v]]));
  const eventsLost = !(EVENT_WAIT in mocks);
  const handlers = {};
  const waitOverrides = {};
  const retryOverrides = {};
  for (const [name, state] of Object.entries(allStates(instrumented))) {
    if (state.Type === 'Wait') waitOverrides[name] = 0;
    if (state.Retry) retryOverrides[name] = 0;
    if (state.Type !== 'Task') continue;
    handlers[name] = async (params) => {
      const { [ROLE_KEY]: roleArn, ...rest } = params;
      calls.push({ state: name, resource: state.Resource, params: rest, roleArn });
      if (name === EVENT_WAIT && eventsLost) throw eventLost();
      const queue = remaining[name];
      if (!queue || queue.length === 0) {
        unexpected.push(name);
        throw new TaskError('Test.UnexpectedCall', `no mocked answer left for ${name}`);
      }
      const next = queue.shift();
      const answer = typeof next === 'function' ? next(rest) : next;
      if (answer instanceof Error) throw answer;
      return structuredClone(answer);
    };
  }
  const machine = new StateMachine(instrumented);
  const context = {
    Execution: {
      Id: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${executionName}`,
      Name: executionName,
      Input: input,
      StartTime: '2026-11-27T18:00:00.000Z',
    },
    State: { EnteredTime: '2026-11-27T18:00:01.000Z', Name: 'any', RetryCount: 0 },
    // The engine has no task tokens: one fixed token stands for the token of any .waitForTaskToken task.
    Task: { Token: TASK_TOKEN },
  };
  const execution = machine.run(input, {
    context,
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waitOverrides, retryIntervalOverrides: retryOverrides },
  });
  const events = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  let output;
  let status = 'SUCCEEDED';
  try {
    output = await execution.result;
  } catch {
    status = 'FAILED';
  }
  await collecting;
  const failed = events.find((e) => e.type === 'ExecutionFailed');
  const entered = events.filter((e) => e.type === 'StateEntered');
  const path = entered.map((e) => e.state.name).filter((n) => !n.startsWith(BRANCH_PREFIX));
  const branches = entered.map((e) => e.state.name).filter((n) => n.startsWith(BRANCH_PREFIX)).map((n) => n.slice(BRANCH_PREFIX.length));
  // The seconds each wait lasted at most: a Wait state's SecondsPath, the event wait's TimeoutSecondsPath.
  const waitPath = (name) => allStates(definition)[name].SecondsPath ?? allStates(definition)[name].TimeoutSecondsPath;
  const secondsOf = (e) => waitPath(e.state.name).slice(2).split('.').reduce((o, k) => o?.[k], e.state.input);
  const waits = entered.filter((e) => e.state.type === 'Wait' || e.state.name === EVENT_WAIT).map(secondsOf);
  const inputs = entered.map((e) => e.state.input);
  const retries = events.filter((e) => e.type === 'StateRetried').map((e) => e.state.name);
  const run = {
    status,
    output,
    error: failed ? { Error: failed.Error, Cause: failed.Cause } : undefined,
    path,
    branches,
    calls,
    unexpected,
    unused: Object.entries(remaining).filter(([, q]) => q.length > 0).map(([k]) => k),
    waits,
    retries,
    inputs,
    callsOf: (state) => calls.filter((c) => c.state === state),
  };
  if (coverage) coverage.record(run);
  return run;
}

// ---- answers as the AWS APIs give them (only the fields the machines read, plus noise they must drop)

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/stackfleet-gs-0123456789abcdefghij/0f3e5a10-cb1f-11f0-8de9-0a1b2c3d4e5f';

/**
 * The outputs of templates/game-server.yaml: the public Connect* ones and an operator's. AWS leaves Outputs
 * out while a stack is first created, and the emulator and AWS then read `$.Stacks[*].Outputs` as [];
 * this engine fails a path that matches nothing, so every answer here carries them.
 */
export const CONNECTION = { address: 'stackfleet-0123456789abcdefghij-4f1d2c3b5a697887.elb.us-east-1.amazonaws.com', port: '25565', protocol: 'tcp' };
export function outputs({ address, port, protocol } = CONNECTION) {
  return [
    { OutputKey: 'ConnectAddress', OutputValue: address, Description: 'DNS name players connect to.' },
    { OutputKey: 'ConnectPort', OutputValue: port, Description: 'Port players connect to.' },
    { OutputKey: 'ConnectProtocol', OutputValue: protocol, Description: 'Transport protocol of the port (tcp or udp).' },
    { OutputKey: 'ClusterName', OutputValue: 'stackfleet-gs-0123456789abcdefghij', Description: 'ECS cluster.' },
  ];
}

export function stack(status, reason, tags = [], stackOutputs = outputs()) {
  const s = {
    StackId: STACK_ID,
    StackName: 'stackfleet-gs-0123456789abcdefghij',
    StackStatus: status,
    CreationTime: '2026-11-27T18:00:00.000Z',
    LastUpdatedTime: '2026-11-27T18:01:00.000Z',
    Parameters: [{ ParameterKey: 'Difficulty', ParameterValue: 'easy' }],
    Tags: tags,
    Outputs: stackOutputs,
  };
  if (reason !== undefined) s.StackStatusReason = reason;
  return { Stacks: [s] };
}

/** A stack as the workflows tag it: its generation in the tag stackfleet:generation. */
export function generationTag(generation, status = 'UPDATE_COMPLETE', connection = CONNECTION) {
  return stack(status, undefined, [
    { Key: 'stackfleet:gameserver-id', Value: 'gs-0123456789abcdefghij' },
    { Key: 'stackfleet:generation', Value: String(generation) },
    { Key: 'stackfleet:owner', Value: 'alice' },
  ], outputs(connection));
}

// Both spellings: AWS (CloudFormation.X) and the emulator (cloudformation.x).
export const notExists = (spelling = 'aws') => fail(
  spelling === 'aws' ? 'CloudFormation.CloudFormationException' : 'cloudformation.cloudformationException',
  'Stack with id stackfleet-gs-0123456789abcdefghij does not exist (Service: CloudFormation, Status Code: 400, Request ID: 5a4c0d2e)',
);
export const cfnError = (cause, spelling = 'aws') => fail(
  spelling === 'aws' ? 'CloudFormation.CloudFormationException' : 'cloudformation.cloudformationException',
  `${cause} (Service: CloudFormation, Status Code: 400, Request ID: 5a4c0d2e)`,
);
export const conditionFailed = () => fail('DynamoDB.ConditionalCheckFailedException',
  'The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException)');
export const ddbThrottled = () => fail('DynamoDB.ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.');
export const ok = {};
/** The event wait released by the stack-event callback (its output is not used). */
export const eventArrived = () => ({ 'stack-id': STACK_ID, 'status-details': { status: 'CREATE_COMPLETE' } });
/** The event wait ended by its timeout: the fallback poll. */
export const eventLost = () => fail('States.Timeout', 'Task timed out.');
export const createStackResult = { StackId: STACK_ID, SdkHttpMetadata: { HttpHeaders: { Date: 'Fri, 27 Nov 2026 18:00:00 GMT' } } };

export function input(overrides = {}) {
  return {
    intent: 'create',
    owner: 'alice',
    gameserver_id: 'gs-0123456789abcdefghij',
    generation: 1,
    stack_name: 'stackfleet-gs-0123456789abcdefghij',
    config: { difficulty: 'easy', player_count: 4, seed: 's33d' },
    placement: { account_id: '111122223333', region: 'us-east-1', role_arn: 'arn:aws:iam::111122223333:role/stackfleet-workload-access' },
    poll: { initial_seconds: 5, max_seconds: 60 },
    release: '3f9a2c1d4b5e',
    ...overrides,
  };
}
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/stackfleet-workload-access';
export const EXECUTION_ROLE_ARN = 'arn:aws:iam::111122223333:role/stackfleet-cloudformation-execution';

/** No raw SDK response, no timestamp: small, JSON-clean outputs only. */
export function assertCleanOutput(assert, output) {
  const text = JSON.stringify(output);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no timestamp in the output');
  assert.doesNotMatch(text, /Stacks|SdkHttpMetadata|CreationTime/, 'no raw SDK response in the output');
}
