import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from 'aws-local-stepfunctions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAsl, loadDefinition, execute, Coverage, fail, ok, conditionFailed, PLACEHOLDERS, STATEMACHINES_DIR, EVENT_WAIT, TASK_TOKEN } from './harness.mjs';

const MACHINES = ['provision', 'deprovision'];
const DEFAULTS = { max_polls: 30, max_restarts: 10, max_total_polls: 90 };
const FIRST_WAIT = { provision: 'ConvergeAgain', deprovision: 'BeginWaitForStableStack' };
const tasks = (definition) => Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
const isEventWait = ([state]) => state === EVENT_WAIT;

test('the docs give the same poll defaults as the machines', () => {
  for (const doc of ['workflows.md', 'contracts.md']) {
    const text = readFileSync(join(STATEMACHINES_DIR, '..', 'docs', doc), 'utf8');
    for (const [field, value] of Object.entries(DEFAULTS)) {
      assert.match(text, new RegExp(`${field}\\b[\\s\\S]{0,300}\\b${value}\\b`), `${doc}: ${field} ${value}`);
    }
  }
});

test('every ${Placeholder} is a known name, and every known name is used', () => {
  const used = new Set();
  for (const name of [...MACHINES, 'stack-event', 'rollout']) {
    for (const [, placeholder] of readAsl(name).matchAll(/\$\{([^}]*)\}/g)) {
      assert.ok(placeholder in PLACEHOLDERS, `${name}.asl.json: unknown placeholder \${${placeholder}}`);
      used.add(placeholder);
    }
  }
  assert.deepEqual([...used].sort(), Object.keys(PLACEHOLDERS).sort());
});

test('provision copies exactly the template\'s public outputs (Connect*), and only RecordActive writes them', () => {
  const template = readFileSync(join(STATEMACHINES_DIR, '..', 'templates', 'game-server.yaml'), 'utf8');
  const declared = template.slice(template.search(/^Outputs:$/m)).match(/^  Connect\w+(?=:)/gm).map((key) => key.trim());
  const definition = loadDefinition('provision');
  const read = [...JSON.stringify(definition).matchAll(/OutputKey == '(\w+)'/g)].map(([, key]) => key);
  assert.deepEqual(read.sort(), declared.sort());
  assert.deepEqual(Object.keys(definition.States.CompareStackGeneration.Parameters.connection).map((field) => field.replace(/\.\$$/, '')),
    declared.map((key) => key.slice('Connect'.length).toLowerCase()).sort(), 'connection.<field> for each Connect<Field>');
  const writers = tasks(definition).filter(([, s]) => /connection/.test(s.Parameters?.UpdateExpression ?? '')).map(([state]) => state);
  assert.deepEqual(writers, ['RecordActive'], 'the connection changes only with ACTIVE: an update keeps the last one');
});

for (const name of MACHINES) {
  const definition = loadDefinition(name);

  test(`${name}: valid Amazon States Language (JSONPath), every state reachable`, () => {
    assert.equal(definition.QueryLanguage, undefined, 'JSONPath only: the emulator does not run JSONata');
    assert.doesNotThrow(() => new StateMachine(definition));
  });

  test(`${name}: every CloudFormation call runs in the placement's account, with the execution role`, () => {
    const cfn = tasks(definition).filter(([, s]) => s.Resource.startsWith('arn:aws:states:::aws-sdk:cloudformation:'));
    assert.ok(cfn.length > 0);
    for (const [state, s] of cfn) {
      assert.deepEqual(s.Credentials, { 'RoleArn.$': '$.placement.role_arn' }, state);
      if (!s.Resource.endsWith(':describeStacks')) {
        assert.equal(s.Parameters['RoleARN.$'],
          "States.Format('arn:aws:iam::{}:role/stackfleet-cloudformation-execution', $.placement.account_id)", state);
        assert.match(s.Parameters['ClientRequestToken.$'], /^States\.Format\('\{\}-[a-z-]*(\{\})?', \$\$\.Execution\.Name(, \$\.loop\.phase)?\)$/, state);
      }
    }
    for (const [state, s] of tasks(definition).filter(([, t]) => !t.Resource.includes(':cloudformation:'))) {
      assert.equal(s.Credentials, undefined, `${state} runs as the workflow's own role`);
      if (state === EVENT_WAIT) continue;
      assert.match(s.Resource, /^arn:aws:states:::dynamodb:(updateItem|getItem|deleteItem)$/, state);
      assert.ok(
        [PLACEHOLDERS.TableName, PLACEHOLDERS.QuotaTableName, PLACEHOLDERS.AccountPoolTableName].includes(s.Parameters.TableName), state);
    }
  });

  test(`${name}: an account slot is only ever released, once, with its count`, () => {
    for (const [state, s] of tasks(definition).filter(([, t]) => t.Parameters?.TableName === PLACEHOLDERS.AccountPoolTableName)) {
      assert.equal(s.Resource, 'arn:aws:states:::dynamodb:updateItem', state);
      assert.equal(s.Parameters.UpdateExpression, 'DELETE servers :ids ADD used :minusOne', state);
      assert.equal(s.Parameters.ConditionExpression, 'contains(servers, :id)', state);
      assert.equal(s.ResultPath, null, state);
    }
  });

  test(`${name}: the quota table is only ever released from, with an idempotent set DELETE`, () => {
    for (const [state, s] of tasks(definition).filter(([, t]) => t.Parameters?.TableName === PLACEHOLDERS.QuotaTableName)) {
      assert.equal(s.Resource, 'arn:aws:states:::dynamodb:updateItem', state);
      assert.equal(s.Parameters.UpdateExpression, 'DELETE servers :id', state);
      assert.equal(s.ResultPath, null, state);
    }
  });

  test(`${name}: ClientRequestTokens stay within CloudFormation's limits for any execution name`, () => {
    const longestName = 'a'.repeat(80);
    const phases = ['clear', 'discard', 'superseded-delete', 'stable-wait', 'delete'];
    for (const [state, s] of tasks(definition)) {
      const token = s.Parameters?.['ClientRequestToken.$'];
      if (!token) continue;
      const suffix = token.match(/'\{\}(-[a-z-]*)(\{\})?'/);
      const longest = suffix[1] + (suffix[2] ? Math.max(...phases.map((p) => p.length)) : '');
      assert.ok(longestName.length + String(longest).length <= 128, state);
    }
  });

  test(`${name}: every status write is conditional on the item existing (no resurrection)`, () => {
    const statusWrites = tasks(definition).filter(([, t]) => t.Resource === 'arn:aws:states:::dynamodb:updateItem'
      && t.Parameters.TableName === PLACEHOLDERS.TableName);
    assert.ok(statusWrites.length > 0);
    for (const [state, s] of statusWrites) {
      assert.match(s.Parameters.ConditionExpression, /^attribute_exists\(gameserver_id\)/, state);
      assert.equal(s.ResultPath, null, `${state} keeps the raw response out of the state`);
    }
  });

  test(`${name}: every retrier is bounded, backs off and uses full jitter; every Task catches`, () => {
    for (const [state, s] of tasks(definition).filter((e) => !isEventWait(e))) {
      assert.ok(s.Retry?.length > 0, `${state} retries transient errors`);
      for (const r of s.Retry) {
        assert.equal(r.JitterStrategy, 'FULL', state);
        assert.ok(r.MaxAttempts >= 1 && r.MaxAttempts <= 6, state);
        assert.ok(r.BackoffRate >= 2 && r.MaxDelaySeconds > 0, state);
        assert.ok(!r.ErrorEquals.includes('States.ALL') && !r.ErrorEquals.includes('States.TaskFailed'), `${state} never retries everything`);
      }
      assert.ok(s.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), `${state} catches permanent errors`);
      assert.ok(s.TimeoutSeconds > 0, `${state} has a timeout`);
    }
  });

  test(`${name}: every poll loop is bounded by poll.max_polls`, () => {
    const states = definition.States;
    const loopWrites = Object.entries(states).filter(([, s]) => s.ResultPath === '$.loop');
    for (const [state, s] of loopWrites) {
      const fields = Object.keys(s.Parameters).map((k) => k.replace(/\.\$$/, '')).sort();
      assert.deepEqual(fields, ['next_seconds', 'phase', 'polls', 'total_polls', 'wait_seconds', 'waited_seconds'], `${state} builds the whole loop state`);
      if (state === FIRST_WAIT[name] && name === 'deprovision') {
        assert.equal(s.Parameters.total_polls, 1, `${state} starts the execution's poll count`);
      } else {
        assert.equal(s.Parameters['total_polls.$'], 'States.MathAdd($.loop.total_polls, 1)', `${state} counts the poll that follows in the execution's budget`);
      }
      if (s.Parameters['phase.$'] === '$.loop.phase') {
        assert.equal(s.Parameters['polls.$'], 'States.MathAdd($.loop.polls, 1)', `${state} continues a wait, so it counts the poll`);
      } else {
        assert.equal(s.Parameters.polls, 1, `${state} starts a wait: the DescribeStack that follows is its first poll`);
      }
    }
    const loopWriters = new Set(loopWrites.map(([state]) => state));
    const into = (target) => Object.entries(states).filter(([, s]) => [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next),
      ...(s.Catch ?? []).map((c) => c.Next)].includes(target)).map(([state]) => state);
    for (const from of [...into(EVENT_WAIT), ...into('WaitBeforePoll')].filter((s) => s !== EVENT_WAIT)) {
      assert.ok(loopWriters.has(from) || from === 'DeleteStack', `${from} sets the loop state before a wait`);
    }
    for (const from of into('DeleteStack')) assert.ok(loopWriters.has(from) || from === 'WaitBeforeDeletingAgain', `${from} sets the loop state before DeleteStack`);
    assert.deepEqual(into(FIRST_WAIT[name]).filter((from) => !from.startsWith('RecordDeleting')),
      name === 'provision' ? ['UseUpdateStatusNames', 'IsRestartBudgetLeft'] : [],
      'the first wait is entered once (an update describes first, a create does not); every later start goes through the restart budget');
    // A Choice that polls again (into a state that continues the wait, or straight into the Wait) checks the limit first.
    const continuing = new Set(loopWrites.filter(([, s]) => s.Parameters['phase.$'] === '$.loop.phase').map(([state]) => state));
    const checksLimit = (rule) => JSON.stringify(rule).includes('"NumericGreaterThanEqualsPath":"$.poll.max_polls"');
    const pollingChoices = Object.entries(states).filter(([, s]) => s.Type === 'Choice'
      && [s.Default, ...s.Choices.map((r) => r.Next)].some((n) => continuing.has(n) || n === 'WaitBeforePoll' || n === EVENT_WAIT));
    assert.deepEqual(pollingChoices.map(([state]) => state).sort(), ['ClassifyDescribeError', 'IsStackStable']);
    for (const [state, s] of pollingChoices) {
      assert.ok(!continuing.has(s.Default) && s.Default !== 'WaitBeforePoll' && s.Default !== EVENT_WAIT, `${state}: its Default does not poll again`);
      const mentions = (field) => s.Choices.findIndex((r) => JSON.stringify(r).includes(`"NumericGreaterThanEqualsPath":"$.poll.${field}"`));
      const limit = Math.max(mentions('max_polls'), mentions('max_total_polls'));
      assert.ok(mentions('max_polls') >= 0, `${state} checks the poll limit of the wait`);
      assert.ok(mentions('max_total_polls') >= 0, `${state} checks the poll budget of the execution`);
      s.Choices.forEach((r, i) => {
        if (continuing.has(r.Next) || r.Next === 'WaitBeforePoll' || r.Next === EVENT_WAIT) assert.ok(i > limit, `${state} rule ${i} polls again only after the limit check`);
      });
    }
    assert.equal(states.IsStackStable.Choices.find(checksLimit).Next, 'ExplainPollLimit');
  });

  test(`${name}: every restart (back-off, converging or deleting again) is counted against one budget, poll.max_restarts`, () => {
    const states = definition.States;
    const into = (target) => Object.entries(states).filter(([, s]) => [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next),
      ...(s.Catch ?? []).map((c) => c.Next)].includes(target)).map(([state]) => state);
    const restarts = into('IsRestartBudgetLeft');
    assert.ok(restarts.length > 0);
    for (const state of restarts) {
      assert.equal(states[state].ResultPath, '$.budget', state);
      assert.equal(states[state].Parameters['restarts.$'], 'States.MathAdd($.budget.restarts, 1)', `${state} counts the restart`);
    }
    const gate = states.IsRestartBudgetLeft;
    assert.deepEqual(gate.Choices[0], { Variable: '$.budget.restarts', NumericGreaterThanPath: '$.poll.max_restarts', Next: 'ExplainRestartLimit' }, 'the budget is checked first');
    for (const target of ['BackOffBeforeConverging', 'ConvergeAgain', 'WaitBeforeDeletingAgain'].filter((t) => t in states)) {
      const first = target === 'ConvergeAgain' ? ['UseUpdateStatusNames'] : [];
      assert.deepEqual(into(target), [...first, 'IsRestartBudgetLeft'], `${target} is reached only within the budget (or as an update's first describe)`);
    }
  });

  test(`${name}: only retryable errors are retried: never the generic CloudFormation name that validation errors share`, () => {
    for (const [state, s] of tasks(definition)) {
      for (const r of s.Retry ?? []) {
        for (const error of r.ErrorEquals) {
          assert.ok(!/^cloudformation\.cloudformationexception$/i.test(error), `${state} retries ${error}: "No updates", "does not exist" and access denied would be retried too`);
        }
      }
    }
  });

  test(`${name}: every Choice rule that reads $.error.Cause checks first that it is present`, () => {
    const guarded = (rule, seen) => {
      if (rule.And) {
        const present = rule.And.some((r) => r.Variable === '$.error.Cause' && r.IsPresent === true);
        return rule.And.every((r) => guarded(r, seen || present));
      }
      if (rule.Or) return rule.Or.every((r) => guarded(r, seen));
      if (rule.Not) return guarded(rule.Not, seen);
      return rule.Variable !== '$.error.Cause' || rule.IsPresent !== undefined || seen;
    };
    for (const [state, s] of Object.entries(definition.States).filter(([, x]) => x.Type === 'Choice')) {
      s.Choices.forEach((rule, i) => assert.ok(guarded(rule, false), `${state} rule ${i} reads $.error.Cause without IsPresent`));
    }
  });

  test(`${name}: poll.max_polls, poll.max_restarts and poll.max_total_polls are optional; their defaults are filled in at the start, in one state`, () => {
    assert.equal(definition.StartAt, 'ApplyDefaults');
    const apply = definition.States.ApplyDefaults;
    assert.equal(apply.Type, 'Pass');
    assert.equal(apply.ResultPath, undefined, 'the whole state is rebuilt: the input\'s fields and the bookkeeping');
    const merge = apply.Parameters['poll.$'].match(/^States\.JsonMerge\(States\.StringToJson\('(.*)'\), \$\.poll, false\)$/);
    assert.ok(merge, 'the input\'s own limits win over the defaults');
    assert.deepEqual(JSON.parse(merge[1]), DEFAULTS, `both machines have the same defaults`);
    for (const field of ['intent', 'owner', 'gameserver_id', 'generation', 'stack_name', 'config', 'placement']) {
      assert.equal(apply.Parameters[`${field}.$`], `$.${field}`, `the input's ${field} is kept`);
    }
    assert.deepEqual(apply.Parameters.budget, { restarts: 0 });
  });

  test(`${name}: the event wait stores its token by stack name and falls back to a describe on its timeout`, () => {
    const wait = definition.States[EVENT_WAIT];
    assert.equal(wait.Resource, 'arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken');
    assert.equal(wait.Parameters.TableName, PLACEHOLDERS.StackWaitsTableName);
    assert.deepEqual(wait.Parameters.Item.stack_name, { 'S.$': '$.stack_name' });
    assert.deepEqual(wait.Parameters.Item.task_token, { 'S.$': '$$.Task.Token' });
    assert.equal(wait.TimeoutSecondsPath, '$.loop.wait_seconds', 'the fallback: at most one poll interval');
    assert.equal(wait.Next, 'DescribeStack', 'released by the event: describe the stack');
    assert.deepEqual(wait.Catch.map((c) => [c.ErrorEquals, c.Next]), [[['States.Timeout'], 'DescribeStack'], [['States.ALL'], 'WaitBeforePoll']],
      'timed out: poll as before; the token could not be stored: wait the interval plainly');
    assert.equal(wait.Retry, undefined, 'a failed put is not retried: the plain wait is the fallback');
  });

  test(`${name}: final outputs are built from the input, never raw SDK responses`, () => {
    for (const [state, s] of Object.entries(definition.States)) {
      if (s.Type === 'Task') assert.ok(s.ResultPath === null || s.ResultSelector || s.Resource.endsWith(':getItem'), `${state} filters its result`);
      if (s.End) assert.equal(s.Type, 'Pass', `${state}: successful ends are Pass states with an explicit output`);
    }
  });
}

const STACK_EVENT = {
  source: 'aws.cloudformation',
  'detail-type': 'CloudFormation Stack Status Change',
  resources: ['arn:aws:cloudformation:us-east-1:111122223333:stack/stackfleet-gs-0123456789abcdefghij/0f3e5a10-cb1f-11f0-8de9-0a1b2c3d4e5f'],
  detail: { 'stack-id': 'arn:aws:cloudformation:us-east-1:111122223333:stack/stackfleet-gs-0123456789abcdefghij/0f3e5a10-cb1f-11f0-8de9-0a1b2c3d4e5f', 'status-details': { status: 'CREATE_COMPLETE' } },
};
const WAITING = { Item: { task_token: { S: TASK_TOKEN } } };

test('stack-event: the callback releases the waiting execution, then forgets the spent token unless a newer wait replaced it', async () => {
  const definition = loadDefinition('stack-event');
  const coverage = new Coverage(definition);
  const released = await execute(definition, STACK_EVENT, { FindWaitingExecution: [WAITING], ReleaseWaitingExecution: [ok], ForgetWait: [ok] }, { coverage });
  assert.equal(released.status, 'SUCCEEDED');
  assert.deepEqual(released.callsOf('FindWaitingExecution')[0].params.Key, { stack_name: { S: 'stackfleet-gs-0123456789abcdefghij' } }, 'the stack name from the event');
  assert.deepEqual(released.callsOf('ReleaseWaitingExecution')[0].params.TaskToken, TASK_TOKEN);
  const forget = released.callsOf('ForgetWait')[0].params;
  assert.deepEqual([forget.Key, forget.ConditionExpression, forget.ExpressionAttributeValues],
    [{ stack_name: { S: 'stackfleet-gs-0123456789abcdefghij' } }, 'task_token = :token', { ':token': { S: TASK_TOKEN } }], 'only the token it used');

  const settled = await execute(definition, STACK_EVENT,
    { FindWaitingExecution: [WAITING], ReleaseWaitingExecution: [fail('Sfn.TaskTimedOutException', 'Task Timed Out')], ForgetWait: [ok] }, { coverage });
  assert.deepEqual([settled.status, settled.path.at(-2)], ['SUCCEEDED', 'ForgetWait'], 'a token whose wait went on is spent too');

  const replaced = await execute(definition, STACK_EVENT, { FindWaitingExecution: [WAITING], ReleaseWaitingExecution: [ok], ForgetWait: [conditionFailed()] }, { coverage });
  assert.equal(replaced.status, 'SUCCEEDED', 'a newer wait stored its token: it stays, quietly');

  const nothing = await execute(definition, STACK_EVENT, { FindWaitingExecution: [{}] }, { coverage });
  assert.deepEqual([nothing.status, nothing.calls.map((c) => c.state)], ['SUCCEEDED', ['FindWaitingExecution']], 'nothing waits: nothing sent, nothing deleted');

  const broken = await execute(definition, STACK_EVENT, { FindWaitingExecution: [WAITING], ReleaseWaitingExecution: [fail('Sfn.AccessDeniedException', 'not allowed')] });
  assert.equal(broken.status, 'FAILED', 'any other error fails loudly');
  assert.deepEqual(coverage.missing(), [], 'every state and branch of the callback');
});
