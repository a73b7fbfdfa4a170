import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateMachine } from 'aws-local-stepfunctions';
import { readAsl, loadDefinition, PLACEHOLDERS } from './harness.mjs';

const MACHINES = ['provision', 'deprovision'];
const tasks = (definition) => Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');

test('every ${Placeholder} is a known name, and every known name is used', () => {
  const used = new Set();
  for (const name of MACHINES) {
    for (const [, placeholder] of readAsl(name).matchAll(/\$\{([^}]*)\}/g)) {
      assert.ok(placeholder in PLACEHOLDERS, `${name}.asl.json: unknown placeholder \${${placeholder}}`);
      used.add(placeholder);
    }
  }
  assert.deepEqual([...used].sort(), Object.keys(PLACEHOLDERS).sort());
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
      assert.match(s.Resource, /^arn:aws:states:::dynamodb:(updateItem|getItem|deleteItem)$/, state);
      assert.equal(s.Parameters.TableName, PLACEHOLDERS.TableName, state);
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
    for (const [state, s] of tasks(definition).filter(([, t]) => t.Resource === 'arn:aws:states:::dynamodb:updateItem')) {
      assert.match(s.Parameters.ConditionExpression, /^attribute_exists\(gameserver_id\)/, state);
      assert.equal(s.ResultPath, null, `${state} keeps the raw response out of the state`);
    }
  });

  test(`${name}: every retrier is bounded, backs off and uses full jitter; every Task catches`, () => {
    for (const [state, s] of tasks(definition)) {
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

  test(`${name}: final outputs are built from the input, never raw SDK responses`, () => {
    for (const [state, s] of Object.entries(definition.States)) {
      if (s.Type === 'Task') assert.ok(s.ResultPath === null || s.ResultSelector || s.Resource.endsWith(':getItem'), `${state} filters its result`);
      if (s.End) assert.equal(s.Type, 'Pass', `${state}: successful ends are Pass states with an explicit output`);
    }
  });
}
