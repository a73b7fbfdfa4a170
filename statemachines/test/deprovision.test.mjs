import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadDefinition, execute, Coverage, fail, failWithoutCause, stack, notExists, cfnError, conditionFailed, ok, input, assertCleanOutput,
  ROLE_ARN, EXECUTION_ROLE_ARN, eventArrived, TASK_TOKEN,
} from './harness.mjs';

const definition = loadDefinition('deprovision');
const coverage = new Coverage(definition);
const NAME = 'gs-0123456789abcdefghij-delete-g3';
const run = (mocks, inputOverrides = {}) =>
  execute(definition, input({ intent: 'delete', generation: 3, ...inputOverrides }), mocks, { executionName: NAME, coverage });
const values = (call) => call.params.ExpressionAttributeValues;

function assertAllMocksUsed(r) {
  assert.deepEqual(r.unexpected, [], 'no task called more often than mocked');
  assert.deepEqual(r.unused, [], 'every mocked answer used');
}

test('delete: DELETING, DeleteStack through the placement role, poll until gone, remove the delete-requested item', async () => {
  const r = await run({
    RecordDeleting: [ok],
    DescribeStack: [stack('UPDATE_COMPLETE'), ...Array(5).fill(stack('DELETE_IN_PROGRESS')), notExists()],
    DeleteStack: [ok],
    RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'DELETED', gameserver_id: 'gs-0123456789abcdefghij', generation: 3 });
  assertCleanOutput(assert, r.output);
  assert.deepEqual(r.waits, [5, 10, 20, 40, 60, 60]);

  const [deleting] = r.callsOf('RecordDeleting');
  assert.equal(deleting.params.ConditionExpression, 'attribute_exists(gameserver_id)');
  assert.deepEqual(values(deleting)[':status'], { S: 'DELETING' });
  assert.deepEqual(values(deleting)[':execution_arn'], { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${NAME}` });

  const [del] = r.callsOf('DeleteStack');
  assert.equal(del.roleArn, ROLE_ARN);
  assert.equal(del.params.RoleARN, EXECUTION_ROLE_ARN);
  assert.equal(del.params.StackName, 'stackfleet-gs-0123456789abcdefghij');
  assert.equal(del.params.ClientRequestToken, `${NAME}-delete`);
  for (const c of r.calls.filter((c) => c.resource.includes(':cloudformation:'))) assert.equal(c.roleArn, ROLE_ARN);

  const [remove] = r.callsOf('RemoveItem');
  assert.equal(remove.resource, 'arn:aws:states:::dynamodb:deleteItem');
  assert.equal(remove.params.ConditionExpression, 'delete_requested = :true');
  assert.deepEqual(values(remove), { ':true': { BOOL: true } });
  assert.deepEqual(remove.params.Key, { owner: { S: 'alice' }, gameserver_id: { S: 'gs-0123456789abcdefghij' } });

  const [release] = r.callsOf('ReleaseQuotaSlot');
  assert.equal(release.resource, 'arn:aws:states:::dynamodb:updateItem');
  assert.equal(release.params.TableName, 'gameserver-quotas');
  assert.deepEqual(release.params.Key, { owner: { S: 'alice' } });
  assert.equal(release.params.UpdateExpression, 'DELETE servers :id');
  assert.deepEqual(values(release), { ':id': { SS: ['gs-0123456789abcdefghij'] } });
  assert.equal(release.params.ConditionExpression, undefined, 'releasing a slot already free changes nothing');
  const [account] = r.callsOf('ReleaseAccountSlot');
  assert.equal(account.resource, 'arn:aws:states:::dynamodb:updateItem');
  assert.equal(account.params.TableName, 'stackfleet-workload-accounts');
  assert.deepEqual(account.params.Key, { account_id: { S: '111122223333' } });
  assert.equal(account.params.UpdateExpression, 'DELETE servers :ids ADD used :minusOne');
  assert.equal(account.params.ConditionExpression, 'contains(servers, :id)', 'a slot is freed once, however often this runs');
  assert.deepEqual(values(account), {
    ':ids': { SS: ['gs-0123456789abcdefghij'] }, ':id': { S: 'gs-0123456789abcdefghij' }, ':minusOne': { N: '-1' },
  });
  assert.deepEqual(r.path.slice(-4), ['RemoveItem', 'ReleaseQuotaSlot', 'ReleaseAccountSlot', 'Deleted']);
  for (const stateInput of r.inputs) assertCleanOutput(assert, stateInput);
});

test('delete: the stack\'s status change event releases the wait: its token is stored by stack name, then the stack is described once', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('UPDATE_COMPLETE'), notExists()], DeleteStack: [ok],
    AwaitStackEvent: [eventArrived()], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  const [wait] = r.callsOf('AwaitStackEvent');
  assert.equal(wait.params.TableName, 'stackfleet-stack-waits');
  assert.deepEqual(wait.params.Item, {
    stack_name: { S: 'stackfleet-gs-0123456789abcdefghij' }, task_token: { S: TASK_TOKEN },
    execution_arn: { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${NAME}` },
    role_arn: { S: ROLE_ARN }, timeout_seconds: { N: '5' },
  });
  assert.equal(wait.roleArn, undefined, 'the waits table is the control plane\'s: written with the workflow\'s own role');
  assert.deepEqual(r.path.slice(r.path.indexOf('DeleteStack')), ['DeleteStack', 'AwaitStackEvent', 'DescribeStack', 'ClassifyDescribeError',
    'MarkStackAbsent', 'RouteByPhase', 'CheckStackDeleted', 'RemoveItem', 'ReleaseQuotaSlot', 'ReleaseAccountSlot', 'Deleted']);
});

test('delete: a token that cannot be stored makes the wait plain polling, never a failure', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('UPDATE_COMPLETE'), stack('DELETE_IN_PROGRESS'), notExists()], DeleteStack: [ok],
    AwaitStackEvent: [fail('DynamoDb.ResourceNotFoundException', 'Requested resource not found'), eventArrived()],
    RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 5, 10], 'the plain wait sleeps the interval the event wait would have waited at most');
  assert.equal(r.path.filter((s) => s === 'WaitBeforePoll').length, 1);
});

test('delete: waits for a stack in progress before deleting it', async () => {
  const r = await run({
    RecordDeleting: [ok],
    DescribeStack: [stack('CREATE_IN_PROGRESS'), stack('CREATE_IN_PROGRESS'), stack('CREATE_COMPLETE'), notExists('emulator')],
    DeleteStack: [ok], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10, 5]);
  const beforeDelete = r.path.slice(0, r.path.indexOf('DeleteStack'));
  assert.equal(beforeDelete.filter((s) => s === 'DescribeStack').length, 3, 'deleted only after the stack was seen stable');
});

test('delete of a stack that does not exist is success: no DeleteStack, item removed', async () => {
  const r = await run({ RecordDeleting: [ok], DescribeStack: [notExists()], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok] });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.callsOf('DeleteStack').length, 0);
});

test('"does not exist" from DeleteStack counts as deleted', async () => {
  const gone = () => notExists('emulator');
  const r = await run({ RecordDeleting: [ok], DescribeStack: [stack('CREATE_COMPLETE')], DeleteStack: [gone()], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok] });
  assert.deepEqual(r.retries, []);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'DELETED');
});

test('an item removed by an operator: the stack is still deleted, nothing is written back, the quota slot is released', async () => {
  const r = await run({
    RecordDeleting: [conditionFailed()], DescribeStack: [stack('CREATE_COMPLETE'), notExists()], DeleteStack: [ok],
    RemoveItem: [conditionFailed()], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'DELETED');
  assert.equal(r.callsOf('RecordDeleteFailed').length, 0);
  assert.deepEqual(r.callsOf('ReleaseQuotaSlot')[0].params.Key, { owner: { S: 'alice' } });
});

test('an account slot freed already (a redrive, a second deprovision) is not freed twice: the delete still succeeds', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [notExists()], RemoveItem: [conditionFailed()], ReleaseQuotaSlot: [ok],
    ReleaseAccountSlot: [conditionFailed()],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'DELETED');
  assert.deepEqual(r.path.slice(-2), ['ReleaseAccountSlot', 'Deleted']);
});

test('an account slot release failing for a non-conditional reason ends the execution failed', async () => {
  const denied = () => fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem');
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [notExists()], RemoveItem: [ok], ReleaseQuotaSlot: [ok],
    ReleaseAccountSlot: Array(6).fill(0).map(denied),
    RecordDeleteFailed: [conditionFailed()],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(r.error.Cause, /^DynamoDB.AmazonDynamoDBException: User is not authorized/);
});

test('a DELETE_FAILED stack found before the delete is deleted again', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('DELETE_FAILED'), stack('DELETE_IN_PROGRESS'), notExists()], DeleteStack: [ok], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
});

test('DELETE_FAILED after the delete is recorded with a reason (conditional), the execution fails', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('UPDATE_COMPLETE'), stack('DELETE_FAILED', 'resource in use')], DeleteStack: [ok],
    RecordDeleteFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'DeprovisionFailed');
  const [failed] = r.callsOf('RecordDeleteFailed');
  assert.equal(failed.params.ConditionExpression, 'attribute_exists(gameserver_id)');
  assert.deepEqual(values(failed)[':status'], { S: 'DELETE_FAILED' });
  assert.equal(values(failed)[':reason'].S, 'Stack stackfleet-gs-0123456789abcdefghij is DELETE_FAILED after the delete step; its events name the resource that failed');
  assert.deepEqual(values(failed)[':execution_arn'], { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${NAME}` });
  assert.equal(r.error.Cause, values(failed)[':reason'].S);
  assert.equal(r.callsOf('RemoveItem').length, 0, 'the item stays, showing DELETE_FAILED');
});

test('a permanent DeleteStack error (not authorized) is recorded as DELETE_FAILED with the cause at once, never retried', async () => {
  const denied = () => cfnError('User is not authorized to perform: cloudformation:DeleteStack', 'emulator');
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('CREATE_COMPLETE')], DeleteStack: [denied()], RecordDeleteFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.retries, []);
  assert.match(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S, /^cloudformation.cloudformationException: User is not authorized/);
});

test('throttling is retried (both spellings) and a generic "Rate exceeded" poll backs off to the longest interval', async () => {
  const r = await run({
    RecordDeleting: [fail('DynamoDB.ThrottlingException', 'Throttled'), ok],
    DescribeStack: [fail('cloudformation.ThrottlingException', 'Rate exceeded'), stack('CREATE_COMPLETE'), cfnError('Rate exceeded'), notExists()],
    DeleteStack: [fail('CloudFormation.ThrottlingException', 'Rate exceeded'), ok],
    RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.retries, ['RecordDeleting', 'DescribeStack', 'DeleteStack']);
  assert.deepEqual(r.waits, [5, 60]);
});

test('a permanent DescribeStacks error is recorded as DELETE_FAILED', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [fail('States.TaskFailed', 'not authorized to perform sts:AssumeRole')], RecordDeleteFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S, 'States.TaskFailed: not authorized to perform sts:AssumeRole');
});

test('a DELETING write failing for a non-conditional reason is recorded as DELETE_FAILED', async () => {
  const r = await run({
    RecordDeleting: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')], RecordDeleteFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.callsOf('DeleteStack').length, 0);
});

test('an item removal failing for a non-conditional reason is recorded; the failure write failing too ends the execution failed', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [notExists()], RemoveItem: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')],
    RecordDeleteFailed: [conditionFailed()],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'DeprovisionFailed');
  assert.equal(r.error.Cause, 'DynamoDB.ResourceNotFoundException: Requested resource not found');
});

test('a quota release failing for a non-conditional reason ends the execution failed; the removed item is not recreated', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [notExists()], RemoveItem: [ok],
    ReleaseQuotaSlot: [fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem'),
      ...Array(5).fill(0).map(() => fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem'))],
    RecordDeleteFailed: [conditionFailed()],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'DeprovisionFailed');
  assert.match(r.error.Cause, /^DynamoDB.AmazonDynamoDBException: User is not authorized to perform: dynamodb:UpdateItem/);
  assert.equal(r.callsOf('RecordDeleteFailed')[0].params.ConditionExpression, 'attribute_exists(gameserver_id)');
});

for (const [state, mocks] of [
  ['DescribeStack', { DescribeStack: [failWithoutCause('CloudFormation.CloudFormationException')] }],
  ['DeleteStack', { DescribeStack: [stack('CREATE_COMPLETE')], DeleteStack: [failWithoutCause('cloudformation.cloudformationException')] }],
]) {
  test(`an error of ${state} without a Cause is recorded as DELETE_FAILED with its name, not a runtime failure`, async () => {
    const r = await run({ RecordDeleting: [ok], ...mocks, RecordDeleteFailed: [ok] });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error.Error, 'DeprovisionFailed');
    assert.match(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S, /^[Cc]loud[Ff]ormation\.[Cc]loud[Ff]ormationException \(no cause given\)$/);
  });
}

// ---- the poll limit and REVIEW_IN_PROGRESS

const inProgress = (status, n) => Array(n).fill(0).map(() => stack(status));
const limited = (maxPolls) => ({ poll: { initial_seconds: 5, max_seconds: 60, max_polls: maxPolls } });

test('a stack still DELETE_IN_PROGRESS after poll.max_polls polls is recorded DELETE_FAILED (conditional), the item stays', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('UPDATE_COMPLETE'), ...inProgress('DELETE_IN_PROGRESS', 3)], DeleteStack: [ok],
    RecordDeleteFailed: [ok],
  }, limited(3));
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'DeprovisionFailed');
  assert.deepEqual(r.waits, [5, 10, 20]);
  const [failed] = r.callsOf('RecordDeleteFailed');
  assert.equal(failed.params.ConditionExpression, 'attribute_exists(gameserver_id)');
  assert.deepEqual(values(failed)[':status'], { S: 'DELETE_FAILED' });
  assert.equal(values(failed)[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still DELETE_IN_PROGRESS after 3 polls (35 seconds of waiting) in the delete step; see its events');
  assert.equal(r.error.Cause, values(failed)[':reason'].S);
  assert.equal(r.callsOf('RemoveItem').length, 0);
});

test('without poll.max_polls the default applies: a stack stuck before the delete fails the execution after 30 polls', async () => {
  // The emulator's stack of a failed CreateStack stays CREATE_IN_PROGRESS forever.
  const r = await run({ RecordDeleting: [ok], DescribeStack: inProgress('CREATE_IN_PROGRESS', 30), RecordDeleteFailed: [ok] });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.path.slice(0, 2).join(), 'ApplyDefaults,RecordDeleting');
  assert.equal(r.waits.length, 29, 'the first poll is made at once');
  assert.equal(r.callsOf('DeleteStack').length, 0, 'a stack in progress is never deleted');
  assert.equal(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S,
    `Stack stackfleet-gs-0123456789abcdefghij is still CREATE_IN_PROGRESS after 30 polls (${5 + 10 + 20 + 40 + 25 * 60} seconds of waiting) in the stable-wait step; see its events`);
});

test('an input with poll.max_polls keeps it: the stack stuck before the delete fails after that many polls', async () => {
  const r = await run({ RecordDeleting: [ok], DescribeStack: inProgress('UPDATE_IN_PROGRESS', 2), RecordDeleteFailed: [ok] }, limited(2));
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.ok(!r.path.includes('UseDefaultPollLimit'));
  assert.match(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S, /still UPDATE_IN_PROGRESS after 2 polls \(5 seconds of waiting\) in the stable-wait step/);
});

test('a DescribeStacks still throttled at the limit is recorded as DELETE_FAILED', async () => {
  const throttled = () => fail('CloudFormation.ThrottlingException', 'Rate exceeded');
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('CREATE_COMPLETE'), ...Array(12).fill(0).map(throttled)], DeleteStack: [ok],
    RecordDeleteFailed: [ok],
  }, limited(2));
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [5, 60], 'each poll is retried within its task, then the poll counts');
  assert.equal(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S, 'CloudFormation.ThrottlingException: Rate exceeded');
});

test('a REVIEW_IN_PROGRESS stack (an unexecuted change set) is deleted at once, not waited for', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('REVIEW_IN_PROGRESS'), notExists()], DeleteStack: [ok], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'DELETED');
  assert.deepEqual(r.waits, [5], 'the only wait is the one after DeleteStack');
});

test('a throttled DeleteStack waits the longest interval and deletes again; throttled beyond poll.max_restarts it is DELETE_FAILED', async () => {
  const throttled = () => cfnError('Rate exceeded');
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [stack('CREATE_COMPLETE'), notExists()], DeleteStack: [throttled(), ok], RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [60, 5]);
  assert.deepEqual(r.retries, []);
  assert.equal(r.inputs.at(-1).poll.max_restarts, 10, 'the default is filled in');
  const stuck = await run({
    RecordDeleting: [ok], DescribeStack: [stack('CREATE_COMPLETE')], DeleteStack: [throttled(), throttled(), throttled()], RecordDeleteFailed: [ok],
  }, { poll: { initial_seconds: 5, max_seconds: 60, max_restarts: 2 } });
  assertAllMocksUsed(stuck);
  assert.equal(stuck.status, 'FAILED');
  assert.equal(values(stuck.callsOf('RecordDeleteFailed')[0])[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij was not deleted: 2 restarts, the limit (poll.max_restarts); the last: CloudFormation throttled the request (Rate exceeded)');
});

test('the execution as a whole polls at most poll.max_total_polls times', async () => {
  const r = await run({
    RecordDeleting: [ok], DescribeStack: [...inProgress('UPDATE_IN_PROGRESS', 2), stack('UPDATE_COMPLETE'), ...inProgress('DELETE_IN_PROGRESS', 1)],
    DeleteStack: [ok], RecordDeleteFailed: [ok],
  }, { poll: { initial_seconds: 5, max_seconds: 60, max_polls: 3, max_total_polls: 4 } });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.inputs.at(-1).poll.max_total_polls, 4);
  assert.equal(values(r.callsOf('RecordDeleteFailed')[0])[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still DELETE_IN_PROGRESS after 4 polls in this execution, the limit (poll.max_total_polls), 1 of them in the delete step; see its events');
});

after(() => {
  console.log(`\ndeprovision.asl.json coverage (times entered / taken across the suite)\n${coverage.table()}\n`);
});

test('every state and every Choice branch of deprovision is covered', () => {
  assert.deepEqual(coverage.missing(), []);
});
