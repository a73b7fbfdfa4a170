import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadDefinition, execute, Coverage, fail, failWithoutCause, stack, notExists, cfnError, conditionFailed, ddbThrottled, ok,
  createStackResult, input, assertCleanOutput, generationTag, ROLE_ARN, EXECUTION_ROLE_ARN, STACK_ID, eventArrived, eventLost,
  CONNECTION, outputs,
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
/** DescribeStacks answers in which every completed stack without tags gets those of `generation` (the tag check reads them). */
const tagged = (generation, answers) => answers.map((a) => (
  !(a instanceof Error) && a.Stacks[0].Tags.length === 0 && /^(CREATE|UPDATE)_COMPLETE$/.test(a.Stacks[0].StackStatus)
    ? generationTag(generation, a.Stacks[0].StackStatus) : a));
const inProgress = (status, n) => Array(n).fill(0).map(() => stack(status));
const limited = (maxPolls, extra = {}) => ({ poll: { initial_seconds: 5, max_seconds: 60, max_polls: maxPolls }, ...extra });

test('create: absent stack is created, polled with a doubling capped interval, recorded ACTIVE', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [...Array(6).fill(stack('CREATE_IN_PROGRESS')), stack('CREATE_COMPLETE')]),
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
  assert.equal(create.params.TemplateURL, 'https://stackfleet-templates.s3.amazonaws.com/templates/3f9a2c1d4b5e/game-server.yaml', 'the execution\'s release');
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
    { Key: 'stackfleet:generation', Value: '1' },
  ]);
  assert.ok(!r.path.slice(0, r.path.indexOf('CreateStack')).includes('DescribeStack'), 'a create does not describe first');
  assert.equal(r.path.lastIndexOf('CompareStackGeneration'), r.path.indexOf('RecordActive') - 2, 'the stack\'s generation is checked right before ACTIVE is written');
  assert.equal(r.path[r.path.indexOf('CompareStackGeneration') - 4], 'DescribeStack', 'on the tags of the describe that found the stack complete');
  for (const c of r.calls.filter((c) => c.resource.includes(':cloudformation:'))) assert.equal(c.roleArn, ROLE_ARN, `${c.state} assumes the placement role`);
  for (const c of r.calls.filter((c) => c.resource.includes(':dynamodb:'))) assert.equal(c.roleArn, undefined, `${c.state} runs as the workflow role`);

  const [active] = r.callsOf('RecordActive');
  assert.equal(active.params.ConditionExpression, claim.params.ConditionExpression);
  assert.deepEqual(values(active), {
    ':status': { S: 'ACTIVE' }, ':generation': { N: '1' },
    ':execution_arn': { S: `arn:aws:states:us-east-1:123456789012:execution:stackfleet-test:${CREATE}` },
    ':stack_id': { S: STACK_ID }, ':now': { S: '2026-11-27T18:00:01.000Z' },
    ':connection': { M: { address: { S: CONNECTION.address }, port: { N: '25565' }, protocol: { S: 'tcp' } } },
    ':release': { S: '3f9a2c1d4b5e' },
  });
  assert.match(active.params.UpdateExpression, /observed_generation = :generation/);
  assert.match(active.params.UpdateExpression, /observed_release = :release/, 'ACTIVE records the release the stack runs');
  assert.doesNotMatch(JSON.stringify(claim.params), /release/, 'CREATING records no release: the stack does not run it yet');
  assert.match(active.params.UpdateExpression, /#connection = :connection/);
  assert.equal(active.params.ExpressionAttributeNames['#connection'], 'connection');
  assert.doesNotMatch(JSON.stringify(claim.params), /connection/, 'CREATING writes no connection');
  assert.match(active.params.UpdateExpression, /REMOVE status_reason/);
});

test('create: the stack\'s status change event releases the wait; the describe that follows reads status and tags at once', async () => {
  const r = await run({}, {
    RecordInProgress: [ok], CreateStack: [createStackResult], AwaitStackEvent: [eventLost(), eventArrived()],
    DescribeStack: [stack('CREATE_IN_PROGRESS'), generationTag(1, 'CREATE_COMPLETE')], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10], 'the first wait timed out (the fallback poll), the second was released by the event');
  assert.deepEqual(r.path, ['ApplyDefaults', 'ChooseStatusNames', 'UseCreateStatusNames', 'RecordInProgress', 'ChooseConvergeAction',
    'CreateStack', 'AwaitCreateComplete', 'AwaitStackEvent', 'DescribeStack', 'IsStackStable', 'GrowPollInterval', 'AwaitStackEvent',
    'DescribeStack', 'IsStackStable', 'RouteByPhase', 'CheckCreateResult', 'CompareStackGeneration', 'IsStackOnThisGeneration',
    'RecordActive', 'Converged']);
  assert.deepEqual(r.callsOf('AwaitStackEvent').map((c) => c.params.Item.timeout_seconds), [{ N: '5' }, { N: '10' }]);
});

test('update: the connection recorded is the one of the describe that found the update complete, not the one before it', async () => {
  const moved = { address: 'stackfleet-0123456789abcdefghij-0a9b8c7d6e5f4a3b.elb.us-east-1.amazonaws.com', port: '7777', protocol: 'udp' };
  const r = await run(update, {
    DescribeStack: [generationTag(2, 'UPDATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), generationTag(3, 'UPDATE_COMPLETE', moved)],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  const [claim] = r.callsOf('RecordInProgress');
  assert.doesNotMatch(claim.params.UpdateExpression, /connection/, 'UPDATING keeps the last known connection');
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':connection'],
    { M: { address: { S: moved.address }, port: { N: '7777' }, protocol: { S: 'udp' } } });
});

test('update: "No updates are to be performed" records the connection of the converge\'s describe', async () => {
  const r = await run(update, {
    DescribeStack: [generationTag(3, 'UPDATE_COMPLETE')], RecordInProgress: [ok],
    UpdateStack: [cfnError('No updates are to be performed.')], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':connection'],
    { M: { address: { S: CONNECTION.address }, port: { N: '25565' }, protocol: { S: 'tcp' } } });
});

test('the connection is read from the public outputs alone, whatever their order among the others', async () => {
  const shuffled = stack('CREATE_COMPLETE', undefined, generationTag(1).Stacks[0].Tags, [...outputs()].reverse());
  const r = await run({}, {
    RecordInProgress: [ok], CreateStack: [createStackResult], DescribeStack: [shuffled], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':connection'],
    { M: { address: { S: CONNECTION.address }, port: { N: '25565' }, protocol: { S: 'tcp' } } });
});

test('update: a token that cannot be stored makes the wait plain polling, never a failure', async () => {
  const r = await run(update, {
    DescribeStack: tagged(3, [stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')]), RecordInProgress: [ok], UpdateStack: [createStackResult],
    AwaitStackEvent: [fail('DynamoDb.AmazonDynamoDbException', 'User is not authorized to perform: dynamodb:PutItem')], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.path.slice(r.path.indexOf('UpdateStack'), r.path.indexOf('UpdateStack') + 5),
    ['UpdateStack', 'AwaitUpdateComplete', 'AwaitStackEvent', 'WaitBeforePoll', 'DescribeStack']);
  assert.deepEqual(r.waits, [5, 5]);
});

test('create: poll intervals cap even when initial_seconds does not divide max_seconds', async () => {
  const r = await run({ poll: { initial_seconds: 1, max_seconds: 3 } }, {
    DescribeStack: tagged(1, [...Array(3).fill(stack('CREATE_IN_PROGRESS')), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [1, 2, 3, 3]);
});

test('update: a stable stack is updated with the generation\'s config and recorded ACTIVE', async () => {
  const r = await run(update, {
    DescribeStack: tagged(3, [stack('CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'), stack('UPDATE_COMPLETE')]),
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
  assert.equal(upd.params.TemplateURL, 'https://stackfleet-templates.s3.amazonaws.com/templates/3f9a2c1d4b5e/game-server.yaml', 'the release of this generation');
  assert.deepEqual(upd.params.Parameters.slice(2), [
    { ParameterKey: 'Difficulty', ParameterValue: 'hard' },
    { ParameterKey: 'PlayerCount', ParameterValue: '12' },
    { ParameterKey: 'Seed', ParameterValue: 'n3w' },
  ]);
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':generation'], { N: '3' });
  assert.equal(r.callsOf('CreateStack').length, 0);
  assert.deepEqual(upd.params.Tags, [
    { Key: 'stackfleet:gameserver-id', Value: 'gs-0123456789abcdefghij' },
    { Key: 'stackfleet:owner', Value: 'alice' },
    { Key: 'stackfleet:generation', Value: '3' },
  ], 'the generation is a tag, so an update of the tag alone is an update with changes, never "No updates"');
});

test('update: waits for a stack in progress to become stable before mutating it', async () => {
  const r = await run(update, {
    DescribeStack: tagged(3, [stack('UPDATE_IN_PROGRESS'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10, 5]);
  assert.ok(r.path.indexOf('UpdateStack') > r.path.indexOf('RecordInProgress'));
  assert.equal(r.path.filter((s) => s === 'DescribeStack').length, 4);
});

for (const spelling of ['aws', 'emulator']) {
  test(`update: "No updates are to be performed" is success at once, never retried (${spelling} spelling)`, async () => {
    const noUpdates = () => cfnError('No updates are to be performed.', spelling);
    const r = await run(update, {
      DescribeStack: tagged(3, [stack('UPDATE_COMPLETE')]), RecordInProgress: [ok],
      UpdateStack: [noUpdates()], RecordActive: [ok],
    }, UPDATE);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.deepEqual(r.retries, [], 'a validation error is not worth a retry');
    assert.deepEqual(values(r.callsOf('RecordActive')[0])[':stack_id'], { S: STACK_ID });
  });
}

test('update: an operation that started after the stable check is waited for, then the update converges', async () => {
  const inProgress = () => cfnError('Stack:arn:aws:cloudformation:us-east-1:111122223333:stack/x is in UPDATE_IN_PROGRESS state and can not be updated.');
  const r = await run(update, {
    DescribeStack: tagged(3, [stack('UPDATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok, ok], UpdateStack: [inProgress(), createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
  assert.deepEqual(r.retries, [], 'the refusal is classified at once: converging again is the retry');
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
    DescribeStack: [stack('ROLLBACK_IN_PROGRESS', reason), stack('ROLLBACK_COMPLETE', reason), stack('DELETE_IN_PROGRESS'), notExists()],
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

const ORIGINAL = 'Stack stackfleet-gs-0123456789abcdefghij is ROLLBACK_COMPLETE after the create step; its events name the resource that failed';

test('create: a failed create whose cleanup delete ends DELETE_FAILED says so, after the original reason', async () => {
  const r = await run({}, {
    DescribeStack: [stack('ROLLBACK_COMPLETE'), stack('DELETE_IN_PROGRESS'), stack('DELETE_FAILED', 'Resource in use')],
    RecordInProgress: [ok], CreateStack: [createStackResult], DeleteStack: [ok], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  const reason = values(r.callsOf('RecordFailed')[0])[':reason'].S;
  assert.equal(reason, `${ORIGINAL}; cleanup: stack deletion ended DELETE_FAILED, the stack is left as it is (see its events); the next converge deletes it again`);
  assert.deepEqual(values(r.callsOf('RecordFailed')[0])[':status'], { S: 'CREATE_FAILED' });
  assert.equal(r.error.Cause, reason);
});

test('create: a failed create whose cleanup delete is still in progress at the poll limit keeps the original reason first', async () => {
  const r = await run(limited(2), {
    DescribeStack: [stack('ROLLBACK_COMPLETE'), ...inProgress('DELETE_IN_PROGRESS', 2)],
    RecordInProgress: [ok], CreateStack: [createStackResult], DeleteStack: [ok], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    `${ORIGINAL}; cleanup: Stack stackfleet-gs-0123456789abcdefghij is still DELETE_IN_PROGRESS after 2 polls (15 seconds of waiting) in the discard step; see its events`);
});

// A create does not describe first: it meets an existing stack as AlreadyExists, then converges.
const alreadyExists = () => fail('CloudFormation.AlreadyExistsException', 'Stack [stackfleet-gs-0123456789abcdefghij] already exists');

for (const [intent, overrides, name] of [['create', {}, CREATE], ['update', update, UPDATE]]) {
  test(`${intent}: a DELETE_FAILED stack found by the converge is deleted again, then created, never updated`, async () => {
    const creates = intent === 'create' ? [alreadyExists(), createStackResult] : [createStackResult];
    const r = await run(overrides, {
      DescribeStack: tagged(intent === 'create' ? 1 : 3, [stack('DELETE_FAILED', 'Resource in use'), stack('DELETE_IN_PROGRESS'), notExists(), notExists(), stack('CREATE_COMPLETE')]),
      RecordInProgress: creates.map(() => ok).concat([ok]), DeleteStack: [ok], CreateStack: creates, RecordActive: [ok],
    }, name);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('UpdateStack').length, 0, 'UpdateStack refuses a DELETE_FAILED stack');
    assert.equal(r.callsOf('DeleteStack')[0].params.ClientRequestToken, `${name}-delete-clear`);
  });
}

for (const status of ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED']) {
  test(`create: a ${status} stack found before the create is deleted first, then created`, async () => {
    const r = await run({}, {
      DescribeStack: tagged(1, [stack(status), stack('DELETE_IN_PROGRESS'), notExists('emulator'), notExists(), stack('CREATE_COMPLETE')]),
      RecordInProgress: [ok, ok, ok], DeleteStack: [ok], CreateStack: [alreadyExists(), createStackResult], RecordActive: [ok],
    });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('DeleteStack')[0].params.ClientRequestToken, `${CREATE}-delete-clear`);
    assert.ok(r.path.indexOf('DeleteStack') < r.path.lastIndexOf('CreateStack'));
  });
}

test('create: a rolled-back stack that cannot be deleted is recorded CREATE_FAILED', async () => {
  const r = await run({}, {
    DescribeStack: [stack('ROLLBACK_COMPLETE'), stack('DELETE_FAILED', 'Role is invalid')],
    RecordInProgress: [ok, ok], CreateStack: [alreadyExists()], DeleteStack: [ok], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /DELETE_FAILED after the clear step/);
});

for (const [spelling, name] of [['aws', 'CloudFormation.AlreadyExistsException'], ['emulator', 'cloudformation.AlreadyExistsException']]) {
  test(`create: "already exists" (${spelling} spelling) is not taken as this execution's stack: describe again, update, then ACTIVE`, async () => {
    // AWS: a repeated token succeeds, so AlreadyExists means another execution made the stack. The emulator
    // answers AlreadyExists for a repeated token too: its own stack is converged again the same way.
    const r = await run({}, {
      DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), stack('UPDATE_COMPLETE')]),
      RecordInProgress: [ok, ok], CreateStack: [fail(name, 'Stack [stackfleet-gs-0123456789abcdefghij] already exists')],
      UpdateStack: [createStackResult], RecordActive: [ok],
    });
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('UpdateStack')[0].params.ClientRequestToken, `${CREATE}-update`);
  });
}

test('update to g2 races create-g1 on an absent stack: AlreadyExists, then describe, UpdateStack with g2\'s config, and only then ACTIVE for g2', async () => {
  // update-g2 sees no stack; create-g1 creates it with g1's config meanwhile; update-g2's CreateStack is refused.
  const g2 = { intent: 'update', generation: 2, config: { difficulty: 'hard', player_count: 8, seed: 'g2' } };
  const name = 'gs-0123456789abcdefghij-update-g2';
  const r = await run(g2, {
    DescribeStack: tagged(2, [notExists(), stack('CREATE_IN_PROGRESS'), generationTag(1, 'CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok, ok],
    CreateStack: [cfnError('Stack [stackfleet-gs-0123456789abcdefghij] already exists')],
    UpdateStack: [createStackResult], RecordActive: [ok],
  }, name);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.output, { outcome: 'ACTIVE', gameserver_id: 'gs-0123456789abcdefghij', generation: 2, stack_id: STACK_ID });
  const [upd] = r.callsOf('UpdateStack');
  assert.deepEqual(upd.params.Parameters.slice(2), [
    { ParameterKey: 'Difficulty', ParameterValue: 'hard' },
    { ParameterKey: 'PlayerCount', ParameterValue: '8' },
    { ParameterKey: 'Seed', ParameterValue: 'g2' },
  ]);
  assert.deepEqual(upd.params.Tags.at(-1), { Key: 'stackfleet:generation', Value: '2' });
  const order = ['CreateStack', 'UpdateStack', 'CompareStackGeneration', 'RecordActive'].map((st) => r.path.indexOf(st));
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'CreateStack, then UpdateStack, then the generation check, then ACTIVE');
  assert.ok(order.every((i) => i >= 0));
  assert.deepEqual(values(r.callsOf('RecordActive')[0])[':generation'], { N: '2' });
});

for (const [what, tagged] of [['another generation\'s tag', generationTag(2, 'UPDATE_COMPLETE')], ['no generation tag (a stack from before the tag)', stack('UPDATE_COMPLETE', undefined, [
  { Key: 'stackfleet:gameserver-id', Value: 'gs-0123456789abcdefghij' }, { Key: 'stackfleet:owner', Value: 'alice' }])]]) {
  test(`update: a stack that runs ${what} when ACTIVE would be written is updated again, never recorded ACTIVE as it is`, async () => {
    const r = await run(update, {
      DescribeStack: [stack('UPDATE_COMPLETE'), tagged, tagged, generationTag(3)],
      RecordInProgress: [ok, ok], UpdateStack: [createStackResult, createStackResult], RecordActive: [ok],
    }, UPDATE);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('UpdateStack').length, 2);
    assert.equal(r.callsOf('RecordActive').length, 1);
    assert.ok(r.path.lastIndexOf('UpdateStack') < r.path.indexOf('RecordActive'));
  });
}

test('create: a permanent CreateStack error fails fast into CREATE_FAILED with the cause', async () => {
  const r = await run({}, {
    DescribeStack: [], RecordInProgress: [ok],
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
    DescribeStack: [notExists()], RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /is ABSENT after the create step/);
});

test('transient errors are retried with backoff: throttled DescribeStacks and DynamoDB writes, both spellings', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [
      fail('CloudFormation.ThrottlingException', 'Rate exceeded'), fail('cloudformation.ThrottlingException', 'Rate exceeded'),
      fail('States.Timeout', 'Task timed out'), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ddbThrottled(), ok], CreateStack: [fail('CloudFormation.SdkClientException', 'Unable to execute HTTP request'), createStackResult],
    RecordActive: [fail('DynamoDB.InternalServerErrorException', 'Internal server error'), ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.retries, ['RecordInProgress', 'CreateStack', 'DescribeStack', 'DescribeStack', 'DescribeStack', 'RecordActive']);
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
  const r = await run(update, {
    DescribeStack: Array(6).fill(0).map(unreachable),
    RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.retries.length, 5);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S, 'CloudFormation.SdkClientException: Unable to execute HTTP request: connect timed out');
});

test('throttling beyond the retry budget keeps polling at the longest interval instead of failing', async () => {
  const throttled = () => fail('CloudFormation.ThrottlingException', 'Rate exceeded');
  const r = await run({}, {
    DescribeStack: tagged(1, [...Array(6).fill(0).map(throttled), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 60]);
});

test('a DescribeStacks throttled under the generic error name waits the longest interval and polls again', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_IN_PROGRESS'), cfnError('Rate exceeded'), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [5, 10, 60]);
});

test('a CreateStack throttled under the generic error name is never a failure: converge again after the longest interval', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [notExists(), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ok, ok], CreateStack: [cfnError('Rate exceeded'), createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.waits, [60, 5]);
  assert.deepEqual(r.callsOf('CreateStack').map((c) => c.params.ClientRequestToken), [`${CREATE}-create`, `${CREATE}-create`]);
});

test('an UpdateStack throttled under the generic error name goes to the back-off at once and converges again after the longest interval', async () => {
  const throttled = () => cfnError('Rate exceeded', 'emulator');
  const r = await run(update, {
    DescribeStack: tagged(3, [stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok, ok], UpdateStack: [throttled(), ok], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.retries, [], 'the back-off path is the retry: bounded, and never taken by a validation error');
  assert.deepEqual(r.waits, [60, 5]);
});

test('a permanent DescribeStacks error (role cannot be assumed) is recorded with its cause', async () => {
  const denied = fail('States.TaskFailed', 'Neither the state machine role nor the task credentials role could be assumed: not authorized to perform sts:AssumeRole');
  const r = await run(update, { DescribeStack: [denied], RecordFailed: [ok] }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /^States.TaskFailed: .*sts:AssumeRole/);
});

test('a newer generation rejects the claim: the stack is left to the newer execution', async () => {
  const r = await run({}, {
    RecordInProgress: [conditionFailed()],
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
    DescribeStack: tagged(3, [stack('UPDATE_COMPLETE'), stack('UPDATE_COMPLETE')]), RecordInProgress: [ok], UpdateStack: [ok],
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
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), stack('DELETE_IN_PROGRESS'), notExists()]),
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
    DescribeStack: [notExists()], RecordInProgress: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_DELETE');
  assert.equal(r.calls.filter((c) => /createStack|deleteStack/.test(c.resource)).length, 0);
});

test('superseded cleanup: a stack in progress is waited for, "does not exist" on DeleteStack counts as deleted', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
    DeleteStack: [notExists('emulator')],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'SUPERSEDED_BY_DELETE');
});

test('superseded cleanup that cannot delete the stack fails the execution without writing a status', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), stack('DELETE_FAILED', 'in use')]),
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}], DeleteStack: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
  assert.equal(r.calls.filter((c) => c.state === 'RecordFailed').length, 0);
});

test('superseded cleanup with a permanent error fails the execution without writing a status', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), fail('CloudFormation.CloudFormationException', 'Access denied')]),
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()], ReadItemAfterRejectedWrite: [{}],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
});

test('a DeleteStack that fails permanently while discarding a failed create is recorded', async () => {
  const denied = () => cfnError('User is not authorized to perform: cloudformation:DeleteStack');
  const r = await run({}, {
    DescribeStack: [stack('CREATE_FAILED')], RecordInProgress: [ok], CreateStack: [ok],
    DeleteStack: [denied()], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.retries, [], 'access denied is classified at once');
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is CREATE_FAILED after the create step; its events name the resource that failed; '
    + 'cleanup: CloudFormation.CloudFormationException: User is not authorized to perform: cloudformation:DeleteStack (Service: CloudFormation, Status Code: 400, Request ID: 5a4c0d2e)',
    'the create failure stays first; the cleanup error is added, not put in its place');
});

test('a status write failing for a non-conditional reason is recorded as the failure', async () => {
  const denied = () => fail('DynamoDB.AmazonDynamoDBException', 'User is not authorized to perform: dynamodb:UpdateItem');
  const r = await run({}, {
    DescribeStack: [], RecordInProgress: Array(6).fill(0).map(denied), RecordFailed: Array(6).fill(0).map(denied),
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  assert.match(r.error.Cause, /dynamodb:UpdateItem/);
});

test('an ACTIVE write failing for a non-conditional reason becomes a recorded failure', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE')]), RecordInProgress: [ok], CreateStack: [ok],
    RecordActive: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S, 'DynamoDB.ResourceNotFoundException: Requested resource not found');
});

test('a rejected write whose item cannot be read back fails the execution', async () => {
  const r = await run({}, {
    DescribeStack: [], RecordInProgress: [conditionFailed()],
    ReadItemAfterRejectedWrite: [fail('DynamoDB.ResourceNotFoundException', 'Requested resource not found')],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'StatusWriteRejected');
});

test('no timestamp or raw SDK response reaches the state that later states see', async () => {
  const r = await run({}, {
    DescribeStack: tagged(1, [stack('CREATE_IN_PROGRESS'), stack('CREATE_COMPLETE')]), RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assert.equal(r.status, 'SUCCEEDED');
  assert.ok(r.inputs.length > 10);
  for (const stateInput of r.inputs) assertCleanOutput(assert, stateInput);
});

test('update: a permanent UpdateStack error (validation) is recorded at once, never retried', async () => {
  const invalid = () => cfnError("Parameter 'PlayerCount' must be a number.");
  const r = await run(update, {
    DescribeStack: [stack('CREATE_COMPLETE')], RecordInProgress: [ok], UpdateStack: [invalid()], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.retries, []);
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'UPDATE_FAILED' });
  assert.match(values(failed)[':reason'].S, /^CloudFormation.CloudFormationException: Parameter 'PlayerCount' must be a number/);
});

// ---- an error without a Cause must not crash a Choice that reads $.error.Cause

for (const [state, mocks, overrides, name] of [
  ['DescribeStack', { DescribeStack: [failWithoutCause('CloudFormation.CloudFormationException')] }, update, UPDATE],
  ['CreateStack', { RecordInProgress: [ok], CreateStack: [failWithoutCause('CloudFormation.CloudFormationException')] }, {}, CREATE],
  ['UpdateStack', { DescribeStack: [stack('UPDATE_COMPLETE')], RecordInProgress: [ok], UpdateStack: [failWithoutCause('cloudformation.cloudformationException')] }, update, UPDATE],
  ['DeleteStack', { DescribeStack: [stack('ROLLBACK_COMPLETE')], RecordInProgress: [ok], DeleteStack: [failWithoutCause('CloudFormation.CloudFormationException')] }, update, UPDATE],
]) {
  test(`an error of ${state} without a Cause is classified and recorded with its name, not a runtime failure`, async () => {
    const r = await run(overrides, { ...mocks, RecordFailed: [ok] }, name);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error.Error, 'ProvisionFailed');
    const reason = values(r.callsOf('RecordFailed')[0])[':reason'].S;
    assert.match(reason, /^[Cc]loud[Ff]ormation\.[Cc]loud[Ff]ormationException \(no cause given\)$/);
  });
}

// ---- the poll limit: poll.max_polls DescribeStacks per wait, then the failure path

test('create: a stack still CREATE_IN_PROGRESS after poll.max_polls polls is recorded CREATE_FAILED, and the execution fails', async () => {
  const r = await run(limited(4), {
    DescribeStack: [...inProgress('CREATE_IN_PROGRESS', 4)],
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
    DescribeStack: tagged(1, [...inProgress('CREATE_IN_PROGRESS', 2), stack('CREATE_COMPLETE')]),
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
});

test('without poll.max_polls in the input the default applies: 30 polls, about 4 hours at the deployed 120/480 s timeouts', async () => {
  const r = await run({ poll: { initial_seconds: 120, max_seconds: 480 } }, {
    DescribeStack: [...inProgress('CREATE_IN_PROGRESS', 30)],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.path.slice(0, 2).join(), 'ApplyDefaults,ChooseStatusNames');
  assert.equal(r.inputs.at(-1).poll.max_polls, 30, 'the default is filled into the input once');
  assert.equal(r.waits.length, 30);
  const waited = r.waits.reduce((a, b) => a + b, 0);
  assert.equal(waited, 120 + 240 + 28 * 480);
  assert.ok(waited > 3.8 * 3600 && waited < 4 * 3600);
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    `Stack stackfleet-gs-0123456789abcdefghij is still CREATE_IN_PROGRESS after 30 polls (${waited} seconds of waiting) in the create step; see its events`);
  const transitionsPerPoll = r.path.filter((s) => ['AwaitStackEvent', 'DescribeStack', 'IsStackStable', 'GrowPollInterval', 'CapPollInterval'].includes(s)).length / 30;
  assert.ok(transitionsPerPoll <= 4, `each poll costs at most 4 state transitions (${transitionsPerPoll})`);
});

test('an input with poll.max_polls keeps it', async () => {
  const r = await run(limited(7), {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE')]), RecordInProgress: [ok], CreateStack: [createStackResult], RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.inputs.at(-1).poll.max_polls, 7);
});

test('throttled polls count toward the limit', async () => {
  const r = await run(limited(3), {
    DescribeStack: [cfnError('Rate exceeded'), cfnError('Rate exceeded'), stack('CREATE_IN_PROGRESS')],
    RecordInProgress: [ok], CreateStack: [createStackResult], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [5, 60, 60]);
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /still CREATE_IN_PROGRESS after 3 polls \(125 seconds of waiting\) in the create step/);
});

test('a poll still throttled at the limit ends the wait: the throttling is recorded as the failure', async () => {
  const r = await run(limited(2), {
    DescribeStack: [cfnError('Rate exceeded'), cfnError('Rate exceeded')],
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
    DescribeStack: tagged(3, [...inProgress('UPDATE_ROLLBACK_IN_PROGRESS', 2), stack('UPDATE_ROLLBACK_COMPLETE'), ...inProgress('UPDATE_IN_PROGRESS', 2), stack('UPDATE_COMPLETE')]),
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordActive: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.output.outcome, 'ACTIVE');
});

test('superseded cleanup stuck deleting gives up after the limit without writing a status', async () => {
  const r = await run(limited(2), {
    DescribeStack: tagged(1, [stack('CREATE_COMPLETE'), stack('CREATE_COMPLETE'), ...inProgress('DELETE_IN_PROGRESS', 2)]),
    RecordInProgress: [ok], CreateStack: [ok], RecordActive: [conditionFailed()],
    ReadItemAfterRejectedWrite: [{ Item: { generation: { N: '1' }, delete_requested: { BOOL: true } } }], DeleteStack: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'SupersededCleanupFailed');
  assert.equal(r.callsOf('RecordFailed').length, 0);
});

// ---- no loop without a bound: restarts of the converge share one budget, and the execution one poll budget

const refused = () => cfnError('Stack:arn:aws:cloudformation:us-east-1:111122223333:stack/x is in UPDATE_IN_PROGRESS state and can not be updated.');
const throttledCfn = () => cfnError('Rate exceeded');
const budget = (extra = {}) => ({ poll: { initial_seconds: 5, max_seconds: 60, max_polls: 240, max_restarts: 3, ...extra } });

test('UpdateStack refused ("another operation in progress") on every attempt ends UPDATE_FAILED after poll.max_restarts restarts', async () => {
  const r = await run({ ...update, ...budget() }, {
    DescribeStack: inProgress('UPDATE_COMPLETE', 4), RecordInProgress: [ok, ok, ok, ok], UpdateStack: [refused(), refused(), refused(), refused()],
    RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(r.error.Error, 'ProvisionFailed');
  const [failed] = r.callsOf('RecordFailed');
  assert.deepEqual(values(failed)[':status'], { S: 'UPDATE_FAILED' });
  assert.equal(values(failed)[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij was not converged: 3 restarts, the limit (poll.max_restarts); the last: UpdateStack was refused, another operation was in progress');
});

test('throttling back-off and "in progress" restarts share one budget', async () => {
  const r = await run({ ...update, ...budget() }, {
    DescribeStack: inProgress('UPDATE_COMPLETE', 4), RecordInProgress: [ok, ok, ok, ok],
    UpdateStack: [throttledCfn(), refused(), throttledCfn(), refused()], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.waits, [60, 60], 'the two throttled attempts each waited the longest interval');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /3 restarts, the limit \(poll\.max_restarts\); the last: UpdateStack was refused/);
});

test('CreateStack throttled on every attempt ends CREATE_FAILED after the budget, not never', async () => {
  const r = await run(budget(), {
    DescribeStack: [notExists(), notExists(), notExists()], RecordInProgress: [ok, ok, ok, ok],
    CreateStack: [throttledCfn(), throttledCfn(), throttledCfn(), throttledCfn()], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(values(r.callsOf('RecordFailed')[0])[':status'], { S: 'CREATE_FAILED' });
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /3 restarts, the limit \(poll\.max_restarts\); the last: CloudFormation throttled the request \(Rate exceeded\)/);
});

test('a stack that keeps running another generation is updated again at most poll.max_restarts times', async () => {
  const r = await run({ ...update, ...budget() }, {
    DescribeStack: Array(4).fill(0).flatMap(() => [stack('UPDATE_COMPLETE'), generationTag(4)]),
    RecordInProgress: [ok, ok, ok, ok], UpdateStack: Array(4).fill(createStackResult), RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /the last: the stack ran another generation's config/);
  assert.equal(r.callsOf('RecordActive').length, 0);
});

test('CreateStack answered AlreadyExists over and over is bounded by the same budget', async () => {
  const exists = () => fail('CloudFormation.AlreadyExistsException', 'Stack [stackfleet-gs-0123456789abcdefghij] already exists');
  const r = await run(budget(), {
    DescribeStack: [notExists(), notExists(), notExists()],
    RecordInProgress: [ok, ok, ok, ok], CreateStack: [exists(), exists(), exists(), exists()], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S, /the last: CreateStack answered AlreadyExists/);
});

test('a throttled DeleteStack waits the longest interval and deletes again (same token), within the budget', async () => {
  const r = await run(budget(), {
    DescribeStack: tagged(1, [stack('ROLLBACK_COMPLETE'), notExists(), notExists(), generationTag(1, 'CREATE_COMPLETE')]),
    RecordInProgress: [ok, ok, ok], DeleteStack: [throttledCfn(), ok], CreateStack: [alreadyExists(), createStackResult],
    RecordActive: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(r.callsOf('DeleteStack').map((c) => c.params.ClientRequestToken), [`${CREATE}-delete-clear`, `${CREATE}-delete-clear`]);
  assert.deepEqual(r.waits, [60, 5, 5], 'the longest interval before deleting again');
  assert.deepEqual(r.retries, [], 'throttling under the generic name takes the back-off path, not a retrier');
});

test('a failed create whose cleanup stays throttled keeps the create\'s reason first', async () => {
  const r = await run(budget({ max_restarts: 1 }), {
    DescribeStack: [stack('ROLLBACK_COMPLETE')], RecordInProgress: [ok], CreateStack: [createStackResult],
    DeleteStack: [throttledCfn(), throttledCfn()], RecordFailed: [ok],
  });
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.match(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    /^Stack stackfleet-gs-0123456789abcdefghij is ROLLBACK_COMPLETE after the create step; its events name the resource that failed; cleanup: Stack stackfleet-gs-0123456789abcdefghij was not converged: 1 restarts/);
});

test('the execution as a whole polls at most poll.max_total_polls times, however many waits it makes', async () => {
  // each wait stays under max_polls (4); the third wait runs into the execution's budget (6)
  const r = await run({ ...update, ...budget({ max_polls: 4, max_total_polls: 6 }) }, {
    DescribeStack: [...inProgress('UPDATE_IN_PROGRESS', 3), stack('UPDATE_COMPLETE'), ...inProgress('UPDATE_IN_PROGRESS', 2)],
    RecordInProgress: [ok], UpdateStack: [createStackResult], RecordFailed: [ok],
  }, UPDATE);
  assertAllMocksUsed(r);
  assert.equal(r.status, 'FAILED');
  assert.equal(values(r.callsOf('RecordFailed')[0])[':reason'].S,
    'Stack stackfleet-gs-0123456789abcdefghij is still UPDATE_IN_PROGRESS after 6 polls in this execution, the limit (poll.max_total_polls), 2 of them in the update step; see its events');
});

test('defaults: poll.max_restarts 10 and poll.max_total_polls 90 are filled in; the worst case ends FAILED well before 25,000 history events', async (t) => {
  // Every converge waits out a long in-progress operation, then UpdateStack is refused: the worst the
  // restarts can do. Each converge wait polls 30 times (max_polls): the execution's poll budget ends it.
  const cycles = 4;
  const r = await run(update, {
    DescribeStack: Array(cycles).fill(0).flatMap(() => [...inProgress('UPDATE_IN_PROGRESS', 29), stack('UPDATE_COMPLETE')]),
    RecordInProgress: Array(cycles).fill(ok), UpdateStack: Array(cycles).fill(0).map(refused), RecordFailed: [ok],
  }, UPDATE);
  assert.equal(r.status, 'FAILED');
  assert.deepEqual(r.unexpected, []);
  const last = r.inputs.at(-1).poll;
  assert.equal(last.max_restarts, 10);
  assert.equal(last.max_total_polls, 90);
  const describes = r.callsOf('DescribeStack').length;
  assert.ok(describes <= 90 + 10, `at most the poll budget plus one describe per restart (${describes})`);
  // History events: a Task 5 (entered, scheduled, started, succeeded or failed, exited), any other state 2, a retry 3 more.
  const types = Object.fromEntries(Object.entries(definition.States).map(([n, st]) => [n, st.Type]));
  const events = 2 + r.path.reduce((n, st) => n + (types[st] === 'Task' ? 5 : 2), 0) + 3 * r.retries.length;
  assert.ok(events < 12000, `history events ${events}`);
  // The worst case adds the retrier's 5 attempts to every poll: 15 more events each.
  assert.ok(events + 15 * describes < 25000 * 0.8, `history events with every poll retried 5 times: ${events + 15 * describes}`);
  t.diagnostic(`worst case with the defaults: ${describes} DescribeStacks, ${r.path.length} states entered, ${events} history events, ${events + 15 * describes} if every poll was retried 5 times`);
});

// ---- REVIEW_IN_PROGRESS: a stack made by a change set that was never executed

for (const intent of ['create', 'update']) {
  test(`${intent}: a REVIEW_IN_PROGRESS stack is not waited for: it is deleted, then the server's stack is created`, async () => {
    const overrides = intent === 'create' ? {} : update;
    const name = intent === 'create' ? CREATE : UPDATE;
    const r = await run(overrides, {
      DescribeStack: tagged(intent === 'create' ? 1 : 3, [stack('REVIEW_IN_PROGRESS'), stack('DELETE_IN_PROGRESS'), notExists(), notExists(), stack('CREATE_COMPLETE')]),
      RecordInProgress: intent === 'create' ? [ok, ok, ok] : [ok, ok], DeleteStack: [ok],
      CreateStack: intent === 'create' ? [alreadyExists(), createStackResult] : [createStackResult], RecordActive: [ok],
    }, name);
    assertAllMocksUsed(r);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output.outcome, 'ACTIVE');
    assert.equal(r.callsOf('UpdateStack').length, 0, 'UpdateStack refuses a REVIEW_IN_PROGRESS stack');
    assert.equal(r.callsOf('DeleteStack')[0].params.ClientRequestToken, `${name}-delete-clear`);
    assert.ok(r.path.indexOf('DeleteStack') < r.path.lastIndexOf('CreateStack'));
    assert.deepEqual(r.waits, [5, 10, 5], 'no wait before the REVIEW_IN_PROGRESS stack is deleted');
  });
}

test('a stack that turns REVIEW_IN_PROGRESS where a created stack was expected is recorded as a failure, not polled', async () => {
  const r = await run({}, {
    DescribeStack: [stack('REVIEW_IN_PROGRESS')],
    RecordInProgress: [ok], CreateStack: [createStackResult],
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
