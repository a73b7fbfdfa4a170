import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadDefinition, execute, Coverage, fail, stack, notExists, cfnError, conditionFailed, ddbThrottled, ok,
  createStackResult, input, assertCleanOutput, ROLE_ARN, EXECUTION_ROLE_ARN, STACK_ID,
} from './harness.mjs';

const definition = loadDefinition('provision');
const coverage = new Coverage(definition);
const CREATE = 'gs-0123456789abcdefghij-create-g1';
const UPDATE = 'gs-0123456789abcdefghij-update-g3';
const run = (inputOverrides, mocks, executionName = CREATE) =>
  execute(definition, input(inputOverrides), mocks, { executionName, coverage });
const update = { intent: 'update', generation: 3, config: { difficulty: 'hard', player_count: 12, seed: 'n3w' } };

function assertAllMocksUsed(r) {
  assert.deepEqual(r.unexpected, [], 'no task called more often than mocked');
  assert.deepEqual(r.unused, [], 'every mocked answer used');
}
const values = (call) => call.params.ExpressionAttributeValues;

test('create: absent stack is created, polled with a doubling capped interval, recorded ACTIVE', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), ...Array(6).fill(stack('CREATE_IN_PROGRESS')), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok],
    CreateStack: [createStackResult],
    RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'ACTIVE', gameserver_id: 'gs-0123456789abcdefghij', generation: 1, stack_id: STACK_ID });
  assertCleanOutput(assert, r.output);
  assert.deepEqual(r.waits, [5, 10, 20, 40, 60, 60, 60], 'poll intervals double from initial_seconds and stop at max_seconds');

  const [claim] = r.callsOf('RecordInProgress');
  assert.equal(claim.params.TableName, 'gameservers');
  assert.deepEqual(claim.params.Key, { owner: { S: 'alice' }, gameserver_id: { S: 'gs-0123456789abcdefghij' } });
  assert.equal(claim.params.ConditionExpression, 'attribute_exists(gameserver_id) AND generation = :generation AND attribute_not_exists(delete_requested)');
  assert.deepEqual(values(claim)[':status'], { S: 'CREATING' });
  assert.deepEqual(values(claim)[':generation'], { N: '1' });
  assert.deepEqual(values(claim)[':execution_arn'], { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${CREATE}` });

  const [create] = r.callsOf('CreateStack');
  assert.equal(create.roleArn, ROLE_ARN);
  assert.equal(create.params.RoleARN, EXECUTION_ROLE_ARN);
  assert.equal(create.params.StackName, 'stackfleet-gs-0123456789abcdefghij');
  assert.equal(create.params.TemplateURL, 'https://stackfleet-templates.s3.amazonaws.com/game-server.yaml');
  assert.equal(create.params.ClientRequestToken, `${CREATE}-create`);
  assert.match(create.params.ClientRequestToken, /^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$/);
  assert.deepEqual(create.params.Parameters, [
    { ParameterKey: 'GameServerId', ParameterValue: 'gs-0123456789abcdefghij' },
    { ParameterKey: 'Owner', ParameterValue: 'alice' },
    { ParameterKey: 'Difficulty', ParameterValue: 'easy' },
    { ParameterKey: 'PlayerCount', ParameterValue: '4' },
    { ParameterKey: 'Seed', ParameterValue: 's33d' },
  ]);
  assert.deepEqual(create.params.Tags, [
    { Key: 'stackfleet:gameserver-id', Value: 'gs-0123456789abcdefghij' },
    { Key: 'stackfleet:owner', Value: 'alice' },
  ]);
  for (const c of r.calls.filter((c) => c.resource.includes(':cloudformation:'))) assert.equal(c.roleArn, ROLE_ARN, `${c.state} assumes the placement role`);
  for (const c of r.calls.filter((c) => c.resource.includes(':dynamodb:'))) assert.equal(c.roleArn, undefined, `${c.state} runs as the workflow role`);

  const [active] = r.callsOf('RecordActive');
  assert.equal(active.params.ConditionExpression, claim.params.ConditionExpression);
  assert.deepEqual(values(active), {
    ':status': { S: 'ACTIVE' }, ':generation': { N: '1' },
    ':execution_arn': { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${CREATE}` },
    ':stack_id': { S: STACK_ID }, ':now': { S: '2026-11-27T18:00:01.000Z' },
  });
  assert.match(active.params.UpdateExpression, /observed_generation = :generation/);
  assert.match(active.params.UpdateExpression, /REMOVE status_reason/);
});

test('create: poll intervals cap even when initial_seconds does not divide max_seconds', async () => {
  const r = await run({ poll: { initial_seconds: 1, max_seconds: 3 } }, {
    DescribeStack: [notExists('emulator'), ...Array(3).fill(stack('CREATE_IN_PROGRESS')), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [1, 2, 3, 3]);
});

test('update: a stable stack is updated with the generation\'s config and recorded ACTIVE', async () => {
  const r = await run(update, {
    DescribeStack: [stack('CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
  assert.equal(r.output.generation, 3);
  assert.deepEqual(values(r.callsOf('RecordInProgress')[0])[':status'], { S: 'UPDATING' });
  const [upd] = r.callsOf('UpdateStack');
  assert.equal(upd.roleArn, ROLE_ARN);
  assert.equal(upd.params.RoleARN, EXECUTION_ROLE_ARN);
  assert.equal(upd.params.ClientRequestToken, `${UPDATE}-update`);
  assert.equal(upd.params.TemplateURL, 'https://stackfleet-templates.s3.amazonaws.com/game-server.yaml', 'the current template, not the previous one');
  assert.deepEqual(upd.params.Parameters.slice(2), [
    { ParameterKey: 'Difficulty', ParameterValue: 'hard' },
    { ParameterKey: 'PlayerCount', ParameterValue: '12' },
    { ParameterKey: 'Seed', ParameterValue: 'n3w' },
  ]);
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':generation'], { N: '3' });
  assert.equal(r.callsOf('CreateStack').length, 0);
});

test('update: waits for a stack in progress to become stable before mutating it', async () => {
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_IN_PROGRESS'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10, 5]);
  assert.ok(r.path.indexOf('UpdateStack') > r.path.indexOf('RecordInProgress'));
  assert.equal(r.path.filter((s) => s === 'DescribeStack').length, 4);
});

for (const spelling of ['aws', 'emulator']) {
  test(`update: "No updates are to be performed" is success (${spelling} spelling, after the bounded retries)`, async () => {
    const noUpdates = () => cfnError('No updates are to be performed.', spelling);
    const r = await run(update, {
      DescribeStack: [stack('UPDATE_COMPLETE')], RecordInProgress: [ok],
      UpdateStack: [noUpdates(), noUpdates(), noUpdates()], RecordActive: [ok],
    }, UPDATE);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.deepEqual(r.retries, ['UpdateStack', 'UpdateStack']);
    assert.deepEqual(values(r.callsOf('RecordActive')[0])[':stack_id'], { S: STACK_ID });
  });
}

test('update: an operation that started after the stable check is waited for, then the update converges', async () => {
  const inProgress = () => cfnError('Stack:arn:aws:cloudformation:us-east-1:111122223333:stack/x is in UPDATE_IN_PROGRESS state and can not be updated.');
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok, ok], UpdateStack: [inProgress(), inProgress(), inProgress(), createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
});

test('update: a rolled-back update is recorded UPDATE_FAILED with the stack status', async () => {
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_COMPLETE'), stack('UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Service].'), stack('UPDATE_ROLLBACK_COMPLETE')],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'UPDATE_FAILED' });
  assert.match(values(failed)[':reason'].S, /UPDATE_ROLLBACK_COMPLETE/);
  assert.deepEqual(values(failed)[':execution_arn'], { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${UPDATE}` });
  assert.equal(failed.params.ConditionExpression, 'attribute_exists(gameserver_id) AND generation = :generation AND attribute_not_exists(delete_requested)');
  assert.equal(r.error.Cause, values(failed)[':reason'].S);
});

test('create: a failed create (ROLLBACK_COMPLETE) is deleted before CREATE_FAILED is recorded', async () => {
  const reason = 'The following resource(s) failed to create: [Service]. Rollback requested by user.';
  const r = await run({}, {
    DescribeStack: [notExists(), stack('ROLLBACK_IN_PROGRESS', reason), stack('ROLLBACK_COMPLETE', reason), stack('DELETE_IN_PROGRESS'), notExists()],
    RecordInProgress: [ok], CreateStack: [createStackResult], DeleteStack: [ok], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.ok(r.path.indexOf('DeleteStack') < r.path.indexOf('RecordFailed'), 'deleted before the failure is recorded');
  const [del] = r.callsOf('DeleteStack');
  assert.equal(del.roleArn, ROLE_ARN);
  assert.equal(del.params.RoleARN, EXECUTION_ROLE_ARN);
  assert.equal(del.params.ClientRequestToken, `${CREATE}-delete-discard`);
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'CREATE_FAILED' });
  assert.equal(values(failed)[":reason"].S, "Stack stackfleet-gs-0123456789abcdefghij is ROLLBACK_COMPLETE after the create step; its events name the resource that failed");
  assert.deepEqual(r.waits, [5, 10, 5, 10]);
});

for (const status of ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED']) {
  test(`create: a ${status} stack found before the create is deleted first, then created`, async () => {
    const r = await run({}, {
      DescribeStack: [stack(status), stack('DELETE_IN_PROGRESS'), notExists('emulator'), notExists(), stack('CREATE_COMPLETE')],
      RecordInProgress: [ok, ok], DeleteStack: [ok], CreateStack: [createStackResult], RecordActive: [ok],
    });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('DeleteStack')[0].params.ClientRequestToken, `${CREATE}-delete-clear`);
    assert.ok(r.path.indexOf('DeleteStack') < r.path.indexOf('CreateStack'));
  });
}

test('create: a rolled-back stack that cannot be deleted is recorded CREATE_FAILED', async () => {
  const r = await run({}, {
    DescribeStack: [stack('ROLLBACK_COMPLETE'), stack('DELETE_FAILED', 'Role is invalid')],
    RecordInProgress: [ok], DeleteStack: [ok], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /DELETE_FAILED after the clear step/);
});

for (const [spelling, name] of [['aws', 'CloudFormation.AlreadyExistsException'], ['emulator', 'cloudformation.AlreadyExistsException']]) {
  test(`create: "already exists" for the server's own stack (repeated token, ${spelling} spelling) counts as created, then polls`, async () => {
    const r = await run({}, {
      DescribeStack: [notExists(spelling), stack('CREATE_COMPLETE')],
      RecordInProgress: [ok], CreateStack: [fail(name, 'Stack [stackfleet-gs-0123456789abcdefghij] already exists')], RecordActive: [ok],
    });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
  });
}

test('create: a permanent CreateStack error fails fast into CREATE_FAILED with the cause', async () => {
  const r = await run({}, {
    DescribeStack: [notExists()], RecordInProgress: [ok],
    CreateStack: [fail('CloudFormation.InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]')],
    RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.retries, []);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S, 'CloudFormation.InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM]');
  assert.equal(r.error.Cause, 'CloudFormation.InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM]');
});

test('create: a stack that vanishes while being created is recorded CREATE_FAILED', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), notExists()], RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /is ABSENT after the create step/);
});

test('transient errors are retried with backoff: throttled DescribeStacks and DynamoDB writes, both spellings', async () => {
  const r = await run({}, {
    DescribeStack: [
      fail('CloudFormation.ThrottlingException', 'Rate exceeded'), fail('cloudformation.ThrottlingException', 'Rate exceeded'), notExists(),
      fail('States.Timeout', 'Task timed out'), stack('CREATE_COMPLETE')],
    RecordInProgress: [ddbThrottled(), ok], CreateStack: [fail('CloudFormation.SdkClientException', 'Unable to execute HTTP request'), createStackResult],
    RecordActive: [fail('DynamoDB.InternalServerErrorException', 'Internal server error'), ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.retries, ['DescribeStack', 'DescribeStack', 'RecordInProgress', 'CreateStack', 'DescribeStack', 'RecordActive']);
  for (const state of ['DescribeStack', 'CreateStack', 'UpdateStack', 'DeleteStack', 'RecordInProgress', 'RecordActive', 'RecordFailed', 'ReadItemAfterRejectedWrite']) {
    for (const retrier of definition.States[state].Retry) {
      assert.equal(retrier.JitterStrategy, 'FULL', `${state} retries with full jitter`);
      assert.ok(retrier.MaxAttempts > 0 && retrier.MaxAttempts <= 6, `${state} retries a bounded number of times`);
      assert.ok(retrier.BackoffRate >= 2, `${state} backs off`);
    }
  }
});

test('transient errors beyond the retry budget fail into CREATE_FAILED', async () => {
  const unreachable = () => fail('CloudFormation.SdkClientException', 'Unable to execute HTTP request: connect timed out');
  const r = await run({}, {
    DescribeStack: Array(6).fill(0).map(unreachable),
    RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.retries.length, 5);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S, 'CloudFormation.SdkClientException: Unable to execute HTTP request: connect timed out');
});

test('throttling beyond the retry budget keeps polling at the longest interval instead of failing', async () => {
  const throttled = () => fail('CloudFormation.ThrottlingException', 'Rate exceeded');
  const r = await run({}, {
    DescribeStack: [...Array(6).fill(0).map(throttled), notExists(), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [60, 5]);
});

test('a DescribeStacks throttled under the generic error name waits the longest interval and polls again', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_IN_PROGRESS'), cfnError('Rate exceeded'), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10, 60]);
});

test('a CreateStack throttled under the generic error name is never a failure: converge again after the longest interval', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), notExists(), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok, ok], CreateStack: [cfnError('Rate exceeded'), createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [60, 5]);
  assert.deepEqual(r.callsOf('CreateStack').map((c) => c.params.ClientRequestToken), [`${CREATE}-create`, `${CREATE}-create`]);
});

test('an UpdateStack still throttled after its retries converges again after the longest interval', async () => {
  const throttled = () => cfnError('Rate exceeded', 'emulator');
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok, ok], UpdateStack: [throttled(), throttled(), throttled(), ok], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.retries, ['UpdateStack', 'UpdateStack']);
  assert.deepEqual(r.waits, [60, 5]);
});

test('a permanent DescribeStacks error (role cannot be assumed) is recorded with its cause', async () => {
  const denied = fail('States.TaskFailed', 'Neither the state machine role nor the task credentials role could be assumed: not authorized to perform sts:AssumeRole');
  const r = await run({}, { DescribeStack: [denied], RecordFailed: [ok] });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /^States.TaskFailed: .*sts:AssumeRole/);
});

test('a newer generation rejects the claim: the stack is left to the newer execution', async () => {
  const r = await run({}, {
    DescribeStack: [stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE')], RecordInProgress: [conditionFailed()],
    ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '4' } } }],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'SUPERSEDED_BY_NEWER_GENERATION', gameserver_id: 'gs-0123456789abcdefghij', generation: 1 });
  assert.equal(r.calls.filter((c) => /createStack|updateStack|deleteStack/.test(c.resource)).length, 0, 'no mutation');
  const [read] = r.callsOf('ReadItemAfterRejectedWrite');
  assert.equal(read.params.ConsistentRead, true);
});

test('a newer generation rejects the final ACTIVE write: ends successfully, no status written', async () => {
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')], RecordInProgress: [ok], UpdateStack: [ok],
    RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '5' } } }],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_NEWER_GENERATION');
});

test('a newer generation rejects the failure write: ends successfully', async () => {
  const r = await run(update, {
    DescribeStack: [stack('UPDATE_COMPLETE'), stack('UPDATE_ROLLBACK_COMPLETE')], RecordInProgress: [ok], UpdateStack: [ok],
    RecordFailed: [conditionFailed()], ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '4' } } }],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_NEWER_GENERATION');
});

test('delete requested while the create ran: the provision deletes the stack it made, and ends "superseded by delete"', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), stack('DELETE_IN_PROGRESS'), notExists()],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [conditionFailed()],
    ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '1' }, delete_requested: { BOOL: true } } }],
    DeleteStack: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'SUPERSEDED_BY_DELETE', gameserver_id: 'gs-0123456789abcdefghij', generation: 1 });
  const [del] = r.callsOf('DeleteStack');
  assert.equal(del.params.ClientRequestToken, `${CREATE}-delete-superseded-delete`);
  assert.equal(del.roleArn, ROLE_ARN);
  assert.equal(r.calls.filter((c) => c.state === 'RecordFailed').length, 0, 'no status written for a deleted server');
});

test('item removed before the claim and no stack: nothing to clean up, nothing written', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), notExists()], RecordInProgress: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_DELETE');
  assert.equal(r.calls.filter((c) => /createStack|deleteStack/.test(c.resource)).length, 0);
});

test('superseded cleanup: a stack in progress is waited for, "does not exist" on DeleteStack counts as deleted', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
    DeleteStack: [notExists('emulator'), notExists('emulator'), notExists('emulator')],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_DELETE');
});

test('superseded cleanup that cannot delete the stack fails the execution without writing a status', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), stack('DELETE_FAILED', 'in use')],
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}], DeleteStack: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
  assert.equal(r.calls.filter((c) => c.state === 'RecordFailed').length, 0);
});

test('superseded cleanup with a permanent error fails the execution without writing a status', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE'), fail('CloudFormation.CloudFormationException', 'Access denied')],
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
});

test('a DeleteStack that fails permanently while discarding a failed create is recorded', async () => {
  const denied = () => cfnError('User is not authorized to perform: cloudformation:DeleteStack');
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_FAILED')], RecordInProgress: [ok], CreateStack: [ok],
    DeleteStack: [denied(), denied(), denied()], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /not authorized to perform: cloudformation:DeleteStack/);
});

test('a status write failing for a non-conditional reason is recorded as the failure', async () => {
  const denied = () => fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem');
  const r = await run({}, {
    DescribeStack: [notExists()], RecordInProgress: Array(6).fill(0).map(denied), RecordFailed: Array(6).fill(0).map(denied),
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  assert.match(r.error.Cause, /dynamodb:UpdateItem/);
});

test('an ACTIVE write failing for a non-conditional reason becomes a recorded failure', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE')], RecordInProgress: [ok], CreateStack: [ok],
    RecordActive: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S, 'DynamoDB.ResourceNotFoundException: Requested resource not found');
});

test('a rejected write whose item cannot be read back fails the execution', async () => {
  const r = await run({}, {
    DescribeStack: [notExists()], RecordInProgress: [conditionFailed()],
    ReadItemAfterRejectedWrite: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'StatusWriteRejected');
});

test('no timestamp or raw SDK response reaches the state that later states see', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('CREATE_IN_PROGRESS'), stack('CREATE_COMPLETE')], RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assert.equal(r.status, 'SUCCEEDED');
  assert.ok(r.inputs.length > 10);
  for (const stateInput of r.inputs) assertCleanOutput(assert, stateInput);
});

test('update: a permanent UpdateStack error is retried briefly (AWS reports throttling under the same name), then recorded', async () => {
  const invalid = () => cfnError("Parameter 'PlayerCount' must be a number.");
  const r = await run(update, {
    DescribeStack: [stack('CREATE_COMPLETE')], RecordInProgress: [ok], UpdateStack: [invalid(), invalid(), invalid()], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.retries, ['UpdateStack', 'UpdateStack']);
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'UPDATE_FAILED' });
  assert.match(values(failed)[':reason'].S, /^CloudFormation.CloudFormationException: Parameter 'PlayerCount' must be a number/);
});

// ---- the poll limit: poll.max_polls DescribeStacks per wait, then the failure path

const inProgress = (status, n) => Array(n).fill(0).map(() => stack(status));
const limited = (maxPolls, extra = {}) => ({ poll: { initial_seconds: 5, max_seconds: 60, max_polls: maxPolls }, ...extra });

test('create: a stack still CREATE_IN_PROGRESS after poll.max_polls polls is recorded CREATE_FAILED, and the execution fails', async () => {
  const r = await run(limited(4), {
    DescribeStack: [notExists(), ...inProgress('CREATE_IN_PROGRESS', 4)],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  assert.deepEqual(r.waits, [5, 10, 20, 40], 'four polls of the create, then no more waiting');
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'CREATE_FAILED' });
  assert.equal(values(failed)[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still CREATE_IN_PROGRESS after 4 polls (75 seconds of waiting) in the create step; see its events');
  assert.equal(failed.params.ConditionExpression, 'attribute_exists(gameserver_id) AND generation = :generation AND attribute_not_exists(delete_requested)');
  assert.equal(r.error.Cause, values(failed)[':reason'].S);
  assert.equal(r.callsOf('DeleteStack').length, 0, 'a stack that is still creating is left to CloudFormation');
});

test('update: a stack still UPDATE_IN_PROGRESS after poll.max_polls polls is recorded UPDATE_FAILED', async () => {
  const r = await run(limited(3, update), {
    DescribeStack: [stack('UPDATE_COMPLETE'), ...inProgress('UPDATE_IN_PROGRESS', 3)],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  assert.deepEqual(r.waits, [5, 10, 20]);
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'UPDATE_FAILED' });
  assert.equal(values(failed)[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still UPDATE_IN_PROGRESS after 3 polls (35 seconds of waiting) in the update step; see its events');
  assert.deepEqual(values(failed)[':execution_arn'], { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${UPDATE}` });
});

test('update: a stack stuck in progress before the update is never claimed nor mutated; UPDATE_FAILED after the limit', async () => {
  // The emulator's stack of a failed CreateStack stays CREATE_IN_PROGRESS forever: a later update waits for it in vain.
  const r = await run(limited(2, update), {
    DescribeStack: inProgress('CREATE_IN_PROGRESS', 2), RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [5]);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still CREATE_IN_PROGRESS after 2 polls (5 seconds of waiting) in the converge step; see its events');
  assert.equal(r.calls.filter((c) => /createStack|updateStack|deleteStack/.test(c.resource)).length, 0, 'no mutation');
});

test('a stack that becomes stable on the last allowed poll converges normally', async () => {
  const r = await run(limited(3), {
    DescribeStack: [notExists(), ...inProgress('CREATE_IN_PROGRESS', 2), stack('CREATE_COMPLETE')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
});

test('without poll.max_polls in the input the default applies: 240 polls, about 4 hours at a 60 s interval', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), ...inProgress('CREATE_IN_PROGRESS', 240)],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.path.slice(0, 3).join(), 'IsPollLimitGiven,UseDefaultPollLimit,ChooseStatusNames');
  assert.equal(r.inputs.at(-1).poll.max_polls, 240, 'the default is filled into the input once');
  assert.equal(r.waits.length, 240);
  const waited = r.waits.reduce((a, b) => a + b, 0);
  assert.equal(waited, 5 + 10 + 20 + 40 + 236 * 60);
  assert.ok(waited > 3.9 * 3600 && waited < 4 * 3600);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    `Stack stackfleet-gs-0123456789abcdefghij is still CREATE_IN_PROGRESS after 240 polls (${waited} seconds of waiting) in the create step; see its events`);
  const transitionsPerPoll = r.path.filter((s) => ['WaitBeforePoll', 'DescribeStack', 'IsStackStable', 'GrowPollInterval', 'CapPollInterval'].includes(s)).length / 240;
  assert.ok(transitionsPerPoll <= 4, `each poll costs at most 4 state transitions (${transitionsPerPoll})`);
});

test('an input with poll.max_polls keeps it', async () => {
  const r = await run(limited(7), {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE')], RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.ok(!r.path.includes('UseDefaultPollLimit'));
  assert.equal(r.inputs.at(-1).poll.max_polls, 7);
});

test('throttled polls count toward the limit', async () => {
  const r = await run(limited(3), {
    DescribeStack: [notExists(), cfnError('Rate exceeded'), cfnError('Rate exceeded'), stack('CREATE_IN_PROGRESS')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [5, 60, 60]);
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /still CREATE_IN_PROGRESS after 3 polls \(125 seconds of waiting\) in the create step/);
});

test('a poll still throttled at the limit ends the wait: the throttling is recorded as the failure', async () => {
  const r = await run(limited(2), {
    DescribeStack: [notExists(), cfnError('Rate exceeded'), cfnError('Rate exceeded')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [5, 60]);
  assert.deepEqual(values(r.callsOf('RecordFailed')[0])[':status'], { S: 'CREATE_FAILED' });
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /^CloudFormation.CloudFormationException: Rate exceeded/);
});

test('each wait has its own count: a converge wait and a create wait of max_polls - 1 polls each succeed', async () => {
  const r = await run(limited(3, update), {
    DescribeStack: [...inProgress('UPDATE_ROLLBACK_IN_PROGRESS', 2), stack('UPDATE_ROLLBACK_COMPLETE'), ...inProgress('UPDATE_IN_PROGRESS', 2), stack('UPDATE_COMPLETE')],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
});

test('superseded cleanup stuck deleting gives up after the limit without writing a status', async () => {
  const r = await run(limited(2), {
    DescribeStack: [notExists(), stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), ...inProgress('DELETE_IN_PROGRESS', 2)],
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()],
    ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '1' }, delete_requested: { BOOL: true } } }], DeleteStack: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
  assert.equal(r.callsOf('RecordFailed').length, 0);
});

// ---- REVIEW_IN_PROGRESS: a stack made by a change set that was never executed

for (const intent of ['create', 'update']) {
  test(`${intent}: a REVIEW_IN_PROGRESS stack is not waited for: it is deleted, then the server's stack is created`, async () => {
    const overrides = intent === 'create' ? {} : update;
    const name = intent === 'create' ? CREATE : UPDATE;
    const r = await run(overrides, {
      DescribeStack: [stack('REVIEW_IN_PROGRESS'), stack('DELETE_IN_PROGRESS'), notExists(), notExists(), stack('CREATE_COMPLETE')],
      RecordInProgress: [ok, ok], DeleteStack: [ok], CreateStack: [createStackResult], RecordActive: [ok],
    }, name);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('UpdateStack').length, 0, 'UpdateStack refuses a REVIEW_IN_PROGRESS stack');
    assert.equal(r.callsOf('DeleteStack')[0].params.ClientRequestToken, `${name}-delete-clear`);
    assert.ok(r.path.indexOf('DeleteStack') < r.path.indexOf('CreateStack'));
    assert.deepEqual(r.waits, [5, 10, 5], 'no wait before the REVIEW_IN_PROGRESS stack is deleted');
  });
}

test('a stack that turns REVIEW_IN_PROGRESS where a created stack was expected is recorded as a failure, not polled', async () => {
  const r = await run({}, {
    DescribeStack: [notExists(), stack('REVIEW_IN_PROGRESS')],
    RecordInProgress: [ok], CreateStack: [fail('CloudFormation.AlreadyExistsException', 'Stack [stackfleet-gs-0123456789abcdefghij] already exists')],
    RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /is REVIEW_IN_PROGRESS after the create step/);
});

after(() => {
  console.log(`\nprovision.asl.json coverage (times entered / taken across the suite)\n${coverage.table()}\n`);
});

test('every state and every Choice branch of provision is covered', () => {
  assert.deepEqual(coverage.missing(), []);
});
