import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from 'aws-local-stepfunctions';
import { loadDefinition, allStates, execute, Coverage, fail, conditionFailed, ddbThrottled, ok, assertCleanOutput } from './harness.mjs';

const definition = loadDefinition('rollout');
const coverage = new Coverage(definition);
const NAME = 'ro-20261130t204500-3f9a2c1d4b5e';
const RELEASE = '3f9a2c1d4b5e';

/** The input ops rollout start gives: three waves (the canary, then two), no failure allowed, no alarm, no bake. */
function input(overrides = {}) {
  return {
    rollout_id: NAME, release: RELEASE, waves: 3, max_failures: 0, bake_seconds: 0,
    poll_seconds: 30, max_polls_per_wave: 20, alarm_name: '', ...overrides,
  };
}
const run = (mocks, overrides = {}) => execute(definition, input(overrides), mocks, { executionName: NAME, coverage });

// ---- answers as DynamoDB gives them to the dynamodb:* integrations

const control = (value = 'RUN') => ({ Item: { control: { S: value } } });
const progress = (failures = 0, value = 'RUN') => ({ Item: { control: { S: value }, failures: { N: String(failures) } } });
const wave = (...ids) => ({ Item: { pk: { S: `rollout#${NAME}` }, sk: { S: 'wave#0' }, servers: { L: ids.map((id) => ({ M: { owner: { S: `owner-of-${id}` }, gameserver_id: { S: id } } })) } } });
const written = (generation) => ({ Attributes: { generation: { N: String(generation) } } });
const status = (value) => ({ Item: { status: { S: value } } });
const gone = () => ({});
/** DescribeAlarms asked for the alarm in state ALARM: listed when it is. */
const alarm = (state) => ({ MetricAlarms: state === 'ALARM' ? [{ AlarmName: 'game-errors', StateValue: state, StateUpdatedTimestamp: '2026-11-30T20:00:00Z' }] : [] });

/** Answers by server: each server's queue of statuses, read in order however the Map interleaves them. */
function byServer(answers) {
  const queues = Object.fromEntries(Object.entries(answers).map(([id, list]) => [id, [...list]]));
  return (params) => {
    const id = params.Key.gameserver_id.S;
    if (!queues[id]?.length) return fail('Test.UnexpectedCall', `no status left for ${id}`);
    return queues[id].shift();
  };
}
const times = (n, answer) => Array(n).fill(answer);

function assertAllMocksUsed(r) {
  assert.deepEqual(r.unexpected, [], 'no task called more often than mocked');
  assert.deepEqual(r.unused, [], 'every mocked answer used');
}
const values = (call) => call.params.ExpressionAttributeValues;

test('three waves: each written as new generations with the release, polled until ACTIVE, then the next; the lock is given back', async () => {
  const reads = byServer({ 'gs-a': [status('UPDATING'), status('ACTIVE')], 'gs-b': [status('ACTIVE')], 'gs-c': [status('UPDATE_PENDING'), status('ACTIVE')], 'gs-d': [status('ACTIVE')] });
  const r = await run({
    ReadControl: times(4, control()),
    ReadWave: [wave('gs-a'), wave('gs-b', 'gs-c'), wave('gs-d')],
    RecordWaveStarted: times(3, ok),
    WriteUpgrade: [written(2), written(5), written(3), written(2)],
    ReadServer: times(6, reads),
    ReadProgress: times(8, progress()),
    RecordOutcome: [ok], ReleaseLock: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'SUCCEEDED', reason: 'all 3 waves upgraded', wave: 3 });
  assertCleanOutput(assert, r.output);

  const reads0 = r.callsOf('ReadWave').map((c) => c.params.Key.sk.S);
  assert.deepEqual(reads0, ['wave#0', 'wave#1', 'wave#2'], 'the canary first, then the waves in order');
  assert.deepEqual(r.callsOf('RecordWaveStarted').map((c) => values(c)[':wave'].N), ['0', '1', '2']);
  assert.deepEqual(r.callsOf('RecordWaveStarted').map((c) => values(c)[':execution'].S)[0], `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${NAME}`);

  const writes = r.callsOf('WriteUpgrade');
  assert.deepEqual(writes.map((c) => c.params.Key.gameserver_id.S), ['gs-a', 'gs-b', 'gs-c', 'gs-d']);
  const [upgrade] = writes;
  assert.equal(upgrade.resource, 'arn:aws:states:::dynamodb:updateItem');
  assert.equal(upgrade.params.TableName, 'gameservers');
  assert.deepEqual(upgrade.params.Key, { owner: { S: 'owner-of-gs-a' }, gameserver_id: { S: 'gs-a' } });
  assert.equal(upgrade.params.UpdateExpression, 'SET generation = generation + :one, #release = :release, #status = :pending, updated_at = :now REMOVE status_reason',
    'a new generation, as the API writes a change: the stream starts the ordinary update');
  assert.match(upgrade.params.ConditionExpression, /^attribute_exists\(gameserver_id\) AND attribute_not_exists\(delete_requested\) AND attribute_not_exists\(pause_reason\)/,
    'never resurrects, never touches a server being deleted or one an operator paused');
  assert.match(upgrade.params.ConditionExpression, /#status IN \(:active, :update_failed\)/);
  assert.deepEqual(values(upgrade)[':release'], { S: RELEASE });
  assert.deepEqual(values(upgrade)[':pending'], { S: 'UPDATE_PENDING' });
  assert.equal(upgrade.params.ReturnValues, 'UPDATED_NEW');

  const [reading] = r.callsOf('ReadServer');
  assert.equal(reading.params.ConsistentRead, true);
  assert.equal(r.callsOf('ReadServer').length, 6, 'a settled server is not read again');
  assert.deepEqual(r.waits, [30, 30, 0, 30, 30, 0, 30, 0], 'poll_seconds between polls, bake_seconds (0) after each wave');
  const [outcome] = r.callsOf('RecordOutcome');
  assert.deepEqual(values(outcome)[':outcome'], { S: 'SUCCEEDED' });
  const [lock] = r.callsOf('ReleaseLock');
  assert.equal(lock.resource, 'arn:aws:states:::dynamodb:deleteItem');
  assert.deepEqual(lock.params.Key, { pk: { S: 'lock' }, sk: { S: 'rollout' } });
  assert.equal(lock.params.ConditionExpression, 'rollout_id = :id');
  assert.deepEqual(values(lock), { ':id': { S: NAME } });
});

test('a failure within the tolerance is counted once on the record and the rollout goes on', async () => {
  const r = await run({
    ReadControl: times(2, control()),
    ReadWave: [wave('gs-a', 'gs-b')],
    RecordWaveStarted: [ok],
    WriteUpgrade: [written(2), written(2)],
    ReadServer: times(4, byServer({ 'gs-a': [status('UPDATING'), status('UPDATE_FAILED')], 'gs-b': [status('UPDATING'), status('ACTIVE')] })),
    CountFailure: [ok],
    ReadProgress: [progress(0), progress(1), progress(1)],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { waves: 1, max_failures: 1, bake_seconds: 600 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  const [count] = r.callsOf('CountFailure');
  assert.equal(count.params.TableName, 'stackfleet-releases');
  assert.deepEqual(count.params.Key, { pk: { S: `rollout#${NAME}` }, sk: { S: 'rollout' } });
  assert.equal(count.params.UpdateExpression, 'ADD failures :one, failed_servers :server');
  assert.equal(count.params.ConditionExpression, 'attribute_exists(pk) AND NOT contains(failed_servers, :id)', 'counted once, however often written');
  assert.deepEqual(values(count), { ':one': { N: '1' }, ':server': { SS: ['gs-a'] }, ':id': { S: 'gs-a' } });
  assert.deepEqual(r.waits, [30, 30, 600], 'the wave bakes once it settled');
});

test('a failure already counted (a retried write) is still a failed server, and nothing else', async () => {
  const r = await run({
    ReadControl: times(2, control()),
    ReadWave: [wave('gs-a')], RecordWaveStarted: [ok], WriteUpgrade: [written(2)],
    ReadServer: [status('UPDATE_FAILED')],
    CountFailure: [conditionFailed()],
    ReadProgress: [progress(1), progress(1)],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { waves: 1, max_failures: 1 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.ok(r.path.includes('ServerFailed'));
});

test('over the tolerance the rollout halts after the wave: later waves are never read or written, and the lock is given back', async () => {
  const r = await run({
    ReadControl: [control()],
    ReadWave: [wave('gs-a', 'gs-b')], RecordWaveStarted: [ok], WriteUpgrade: [written(2), written(2)],
    ReadServer: times(2, byServer({ 'gs-a': [status('UPDATE_FAILED')], 'gs-b': [status('ACTIVE')] })),
    CountFailure: [ok],
    ReadProgress: [progress(1)],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { max_failures: 0 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'RolloutHalted');
  assert.deepEqual(r.callsOf('ReadWave').map((c) => c.params.Key.sk.S), ['wave#0']);
  const [outcome] = r.callsOf('RecordOutcome');
  assert.deepEqual(values(outcome)[':outcome'], { S: 'HALTED' });
  assert.deepEqual(values(outcome)[':reason'], { S: '1 servers failed their upgrade, more than the tolerance of 0' });
  assert.equal(r.callsOf('ReleaseLock').length, 1);
});

test('a server that is not eligible when its wave comes is skipped: not read, not a failure; an all-skipped wave does not wait', async () => {
  const r = await run({
    ReadControl: times(2, control()),
    ReadWave: [wave('gs-paused', 'gs-deleting')], RecordWaveStarted: [ok],
    WriteUpgrade: [conditionFailed(), conditionFailed()],
    ReadProgress: [progress(), progress()],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { waves: 1 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.callsOf('ReadServer').length, 0);
  assert.ok(r.path.includes('SkipServer'));
  assert.ok(!r.path.includes('WaitBeforePoll'));
});

test('a server deleted or being deleted during its wave is gone, not a failure', async () => {
  const r = await run({
    ReadControl: times(2, control()),
    ReadWave: [wave('gs-a', 'gs-b')], RecordWaveStarted: [ok], WriteUpgrade: [written(2), written(4)],
    ReadServer: times(2, byServer({ 'gs-a': [gone()], 'gs-b': [status('DELETE_PENDING')] })),
    ReadProgress: [progress(), progress()],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { waves: 1 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.path.filter((s) => s === 'ServerGone').length, 2);
});

test('paused between waves: PAUSED is recorded, control is read every poll_seconds until resumed, then the next wave starts', async () => {
  const r = await run({
    ReadControl: [control(), control('PAUSE'), control('PAUSE'), control('RUN'), control()],
    ReadWave: [wave('gs-a'), wave('gs-b')], RecordWaveStarted: [ok, ok], WriteUpgrade: [written(2), written(2)],
    ReadServer: [status('ACTIVE'), status('ACTIVE')],
    ReadProgress: times(4, progress()),
    RecordPaused: [ok, ok],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { waves: 2 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  const [paused] = r.callsOf('RecordPaused');
  assert.deepEqual(values(paused)[':paused'], { S: 'PAUSED' });
  assert.ok(r.path.indexOf('RecordPaused') > r.path.indexOf('NextWave'), 'a pause takes effect between waves');
  assert.deepEqual(r.callsOf('RecordWaveStarted').map((c) => values(c)[':status']), [undefined, undefined]);
  assert.deepEqual(r.callsOf('RecordWaveStarted').map((c) => values(c)[':running']), [{ S: 'RUNNING' }, { S: 'RUNNING' }], 'resumed: RUNNING again');
});

test('stopped by an operator between waves: STOPPED, the execution succeeds, no further wave', async () => {
  const r = await run({
    ReadControl: [control('STOP')],
    RecordOutcome: [ok], ReleaseLock: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'STOPPED');
  assert.equal(r.callsOf('ReadWave').length, 0);
});

test('stopped by an operator while a wave waits: the wait ends at the next poll', async () => {
  const r = await run({
    ReadControl: [control()],
    ReadWave: [wave('gs-a')], RecordWaveStarted: [ok], WriteUpgrade: [written(2)],
    ReadServer: [status('UPDATING')],
    ReadProgress: [progress(0, 'STOP')],
    RecordOutcome: [ok], ReleaseLock: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.output.outcome, 'STOPPED');
  assert.deepEqual(values(r.callsOf('RecordOutcome')[0])[':reason'], { S: 'stopped by an operator before wave 0 ended' });
});

test('the alarm gate: read each poll and after the bake; ALARM halts the rollout during the wave', async () => {
  const r = await run({
    ReadControl: [control()],
    ReadWave: [wave('gs-a', 'gs-b')], RecordWaveStarted: [ok], WriteUpgrade: [written(2), written(2)],
    ReadServer: times(3, byServer({ 'gs-a': [status('UPDATING'), status('UPDATING')], 'gs-b': [status('ACTIVE')] })),
    ReadProgress: [progress(), progress()],
    ReadAlarm: [alarm('OK'), alarm('ALARM')],
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { alarm_name: 'game-errors' });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  const [read] = r.callsOf('ReadAlarm');
  assert.equal(read.resource, 'arn:aws:states:::aws-sdk:cloudwatch:describeAlarms');
  assert.deepEqual(read.params, { AlarmNames: ['game-errors'], StateValue: 'ALARM' });
  assert.equal(read.roleArn, undefined, 'the alarm is the control plane\'s own');
  assert.deepEqual(values(r.callsOf('RecordOutcome')[0])[':reason'], { S: 'alarm game-errors was in ALARM during wave 0' });
  assert.deepEqual(values(r.callsOf('RecordOutcome')[0])[':outcome'], { S: 'HALTED' });
});

test('a wave whose servers never settle halts after max_polls_per_wave polls', async () => {
  const r = await run({
    ReadControl: [control()],
    ReadWave: [wave('gs-a')], RecordWaveStarted: [ok], WriteUpgrade: [written(2)],
    ReadServer: times(2, status('UPDATING')),
    ReadProgress: times(2, progress()),
    RecordOutcome: [ok], ReleaseLock: [ok],
  }, { max_polls_per_wave: 2 });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(values(r.callsOf('RecordOutcome')[0])[':reason'], { S: 'wave 0 still had servers upgrading after 2 polls' });
});

test('a task that keeps failing stops the rollout with the error as its reason; the outcome and the lock are still written', async () => {
  const denied = () => fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:GetItem');
  const r = await run({
    ReadControl: [control()],
    ReadWave: [ddbThrottled(), ddbThrottled(), ddbThrottled(), ddbThrottled(), ddbThrottled(), denied()],
    RecordOutcome: [ddbThrottled(), ddbThrottled(), ddbThrottled(), ddbThrottled(), ddbThrottled(), ddbThrottled()],
    ReleaseLock: [conditionFailed()],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.retries.filter((s) => s === 'ReadWave').length, 5, 'throttling is retried');
  assert.match(values(r.callsOf('RecordOutcome')[0])[':reason'].S, /not authorized/);
});

test('a server write or read that keeps failing fails its wave\'s Map, which stops the rollout', async () => {
  const r = await run({
    ReadControl: [control()],
    ReadWave: [wave('gs-a')], RecordWaveStarted: [ok],
    WriteUpgrade: [written(2)],
    ReadServer: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')],
    RecordOutcome: [ok], ReleaseLock: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.ok(r.path.includes('ExplainError'));
});

test('the pause record, the wave record, a paused wait and a failed status write each stop the rollout when they keep failing', async () => {
  for (const [state, mocks] of [
    ['RecordPaused', { ReadControl: [control('PAUSE')], RecordPaused: [fail('States.Runtime', 'x')] }],
    ['RecordWaveStarted', { ReadControl: [control()], ReadWave: [wave('gs-a')], RecordWaveStarted: [fail('States.Runtime', 'x')] }],
    ['ReadControl', { ReadControl: [fail('States.Runtime', 'x')] }],
    ['ReadProgress', { ReadControl: [control()], ReadWave: [wave('gs-a')], RecordWaveStarted: [ok], WriteUpgrade: [conditionFailed()], ReadProgress: [fail('States.Runtime', 'x')] }],
    ['ReadAlarm', { ReadControl: [control()], ReadWave: [wave('gs-a')], RecordWaveStarted: [ok], WriteUpgrade: [conditionFailed()], ReadProgress: [progress()], ReadAlarm: [fail('States.Runtime', 'x')] }],
  ]) {
    const r = await run({ ...mocks, RecordOutcome: [ok], ReleaseLock: [ok] }, { alarm_name: 'game-errors' });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'FAILED', state);
    assert.deepEqual(values(r.callsOf('RecordOutcome')[0])[':outcome'], { S: 'FAILED' }, state);
  }
});

// ---- the machine's shape

test('rollout: valid Amazon States Language (JSONPath), every Task bounded in time and retried with full jitter', () => {
  assert.equal(definition.QueryLanguage, undefined, 'JSONPath only: the emulator does not run JSONata');
  assert.doesNotThrow(() => new StateMachine(definition));
  for (const [name, state] of Object.entries(allStates(definition))) {
    if (state.Type !== 'Task') continue;
    assert.ok(state.TimeoutSeconds > 0, `${name} has a timeout`);
    for (const retrier of state.Retry ?? []) {
      assert.ok(retrier.MaxAttempts <= 5 && retrier.JitterStrategy === 'FULL' && retrier.MaxDelaySeconds, `${name} retries boundedly with jitter`);
    }
  }
});

test('rollout: every write to a server is the one conditional upgrade, and the rollout never deletes a server or writes its status otherwise', () => {
  const writers = Object.entries(allStates(definition))
    .filter(([, s]) => s.Type === 'Task' && s.Parameters?.TableName === 'gameservers')
    .map(([name, s]) => [name, s.Resource]);
  assert.deepEqual(writers, [
    ['WriteUpgrade', 'arn:aws:states:::dynamodb:updateItem'],
    ['ReadServer', 'arn:aws:states:::dynamodb:getItem'],
  ]);
});

test('rollout: the Maps are inline and bounded in concurrency', () => {
  for (const [name, state] of Object.entries(allStates(definition))) {
    if (state.Type !== 'Map') continue;
    assert.equal(state.ItemProcessor.ProcessorConfig.Mode, 'INLINE', name);
    assert.ok(state.MaxConcurrency > 0 && state.MaxConcurrency <= 40, name);
  }
});

after(() => {
  console.log(`\nrollout.asl.json coverage (times entered / taken across the suite)\n${coverage.table()}\n`);
});

test('every state and every Choice branch of rollout is covered', () => {
  assert.deepEqual(coverage.missing(), []);
});
