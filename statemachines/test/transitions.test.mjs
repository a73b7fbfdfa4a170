// State transitions (what Step Functions Standard bills: every state entered) and how late a settled
// stack is noticed, for a create, an update and a delete whose stacks take 1, 5 and 20 minutes, with
// the stack's status change event arriving and with every event lost (the timeouts alone). Time is
// simulated: a wait released by the event ends EVENT_LATENCY seconds after the stack settled, a wait
// that times out ends after its timeout ($.loop.wait_seconds), every other state takes no time.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  loadDefinition, execute, stack, notExists, ok, createStackResult, input, generationTag, eventArrived, eventLost,
} from './harness.mjs';

const provision = loadDefinition('provision');
const deprovision = loadDefinition('deprovision');
/** The deployed poll settings (cdk Config: pollInitialSeconds, pollMaxSeconds): the fallback's timeouts. */
const DEPLOYED_POLL = { initial_seconds: 120, max_seconds: 480 };
/** CloudFormation -> EventBridge -> the control plane's bus -> the callback: a few seconds at most. */
const EVENT_LATENCY = 2;
const PRICE_PER_TRANSITION = 0.025 / 1000;
const ANSWERS = 100;
// Measured; the timeouts (120, 240, 480, 480 ... s) decide the count, so the event changes how late, not how many.
const EXPECTED = { create: { 1: 16, 5: 20, 20: 28 }, update: { 1: 20, 5: 24, 20: 32 }, delete: { 1: 19, 5: 23, 20: 31 } };
const EXPECTED_LATE_WITHOUT_EVENTS = { 1: 60, 5: 60, 20: 120 };
/** Measured once on the machines before the event wait (5 s doubling to 60 s polling), with this harness. */
const BEFORE = {
  transitions: { create: { 1: 41, 5: 57, 20: 117 }, update: { 1: 40, 5: 56, 20: 116 }, delete: { 1: 36, 5: 52, 20: 112 } },
  late_seconds: 15,
};

/** One operation on a simulated clock: the stack settles `seconds` after the mutating call. */
function simulation(seconds, eventsArrive) {
  const clock = { now: 0, settlesAt: Infinity, noticedAt: undefined };
  const mutate = (result) => () => {
    clock.settlesAt = clock.now + seconds;
    return result;
  };
  const settled = () => clock.now >= clock.settlesAt;
  const awaitEvent = (params) => {
    const timeout = Number(params.Item.timeout_seconds.N);
    const releasedAt = clock.settlesAt + EVENT_LATENCY;
    if (eventsArrive && releasedAt <= clock.now + timeout) {
      clock.now = Math.max(clock.now, releasedAt);
      return eventArrived();
    }
    clock.now += timeout;
    return eventLost();
  };
  const describe = (before, during, after) => () => {
    if (clock.settlesAt === Infinity) return before;
    if (!settled()) return during;
    clock.noticedAt ??= clock.now;
    return after instanceof Function ? after() : after;
  };
  return { clock, mutate, awaitEvent, describe };
}

const repeat = (answer) => Array(ANSWERS).fill(answer);

async function measure(operation, seconds, eventsArrive) {
  const sim = simulation(seconds, eventsArrive);
  const poll = { ...DEPLOYED_POLL };
  let r;
  if (operation === 'create') {
    r = await execute(provision, input({ poll }), {
      RecordInProgress: [ok], CreateStack: [sim.mutate(createStackResult)], AwaitStackEvent: repeat(sim.awaitEvent),
      DescribeStack: repeat(sim.describe(undefined, stack('CREATE_IN_PROGRESS'), generationTag(1, 'CREATE_COMPLETE'))), RecordActive: [ok],
    });
  } else if (operation === 'update') {
    r = await execute(provision, input({ intent: 'update', generation: 2, poll }), {
      RecordInProgress: [ok], UpdateStack: [sim.mutate(createStackResult)], AwaitStackEvent: repeat(sim.awaitEvent),
      DescribeStack: repeat(sim.describe(generationTag(1, 'CREATE_COMPLETE'), stack('UPDATE_IN_PROGRESS'), generationTag(2, 'UPDATE_COMPLETE'))),
      RecordActive: [ok],
    }, { executionName: 'gs-0123456789abcdefghij-update-g2' });
  } else {
    r = await execute(deprovision, input({ intent: 'delete', poll }), {
      RecordDeleting: [ok], DeleteStack: [sim.mutate(ok)], AwaitStackEvent: repeat(sim.awaitEvent),
      DescribeStack: repeat(sim.describe(generationTag(1, 'CREATE_COMPLETE'), stack('DELETE_IN_PROGRESS'), () => notExists())),
      RemoveItem: [ok], ReleaseQuotaSlot: [ok], ReleaseAccountSlot: [ok],
    }, { executionName: 'gs-0123456789abcdefghij-delete-g1' });
  }
  assert.equal(r.status, 'SUCCEEDED', `${operation} of ${seconds} s: ${JSON.stringify(r.error)}`);
  assert.deepEqual(r.unexpected, []);
  return {
    transitions: r.path.length,
    late: sim.clock.noticedAt - seconds,
    released: r.callsOf('AwaitStackEvent').length,
  };
}

const rows = [];
for (const operation of ['create', 'update', 'delete']) {
  for (const minutes of [1, 5, 20]) {
    for (const eventsArrive of [true, false]) {
      const label = `${operation}, a ${minutes}-minute stack, ${eventsArrive ? 'the event arrives' : 'every event lost (fallback only)'}`;
      test(`transitions: ${label}`, async (t) => {
        const m = await measure(operation, minutes * 60, eventsArrive);
        rows.push({ operation, minutes, eventsArrive, ...m });
        t.diagnostic(`${m.transitions} transitions ($${(m.transitions * PRICE_PER_TRANSITION * 1000).toFixed(3)} per 1,000), noticed ${m.late} s after the stack settled`);
        assert.equal(m.transitions, EXPECTED[operation][minutes], 'the count the docs give (docs/workflows.md#cost)');
        if (eventsArrive) assert.equal(m.late, EVENT_LATENCY, 'the event releases the wait: noticed as soon as it arrives');
        else assert.equal(m.late, EXPECTED_LATE_WITHOUT_EVENTS[minutes], 'the fallback\'s timeouts notice it');
        assert.ok(!eventsArrive || m.late <= minutes * 6, 'with the event: noticed within 10 % of the operation\'s duration');
        if (operation === 'create' && minutes === 5) assert.ok(m.transitions <= 20, `a 5-minute create in at most 20 transitions (${m.transitions})`);
      });
    }
  }
}

test('transitions: the event path never costs more than the fallback alone', () => {
  for (const row of rows.filter((r) => r.eventsArrive)) {
    const lost = rows.find((r) => !r.eventsArrive && r.operation === row.operation && r.minutes === row.minutes);
    assert.ok(row.transitions <= lost.transitions, `${row.operation} ${row.minutes} min`);
    assert.ok(row.late <= lost.late, `${row.operation} ${row.minutes} min`);
  }
});

// ./stackfleet bench's workflow-transitions report reads the measured rows from here.
after(() => {
  const out = process.env.STACKFLEET_TRANSITIONS_OUT;
  if (!out) return;
  const report = {
    benchmark: 'workflow-transitions',
    fallback_timeouts: DEPLOYED_POLL,
    event_latency_seconds: EVENT_LATENCY,
    price_per_1000_transitions: PRICE_PER_TRANSITION * 1000,
    before: BEFORE,
    rows,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
});
