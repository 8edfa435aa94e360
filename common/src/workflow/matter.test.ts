import { describe, expect, it } from 'vitest';
import { BUSINESS_PERMISSIONS } from '../permissions.ts';
import {
  canFire,
  flagsAfter,
  flagsAllow,
  isMatterTransitionName,
  isOpen,
  MATTER_PERMISSIONS,
  MATTER_RATING_LABELS,
  MATTER_STATE_LABELS,
  MATTER_STATES,
  MATTER_TRANSITION_LABELS,
  MATTER_TRANSITION_NAMES,
  MATTER_TRANSITIONS,
  MATTER_TYPE_LABELS,
  type MatterState,
  nextState,
  OPEN_STATES,
  REOPEN_WINDOW_MS,
  reopenAllowed,
  TERMINAL_STATES,
  transitionsFrom,
  verifierAllowed,
} from './matter.ts';

const pairs = MATTER_TRANSITION_NAMES.flatMap((t) => MATTER_STATES.map((s) => [t, s] as const));

describe('MATTER_TRANSITIONS', () => {
  it('is keyed by each transition name', () => {
    expect(Object.keys(MATTER_TRANSITIONS).sort()).toEqual([...MATTER_TRANSITION_NAMES].sort());
    for (const name of MATTER_TRANSITION_NAMES) expect(MATTER_TRANSITIONS[name].name).toBe(name);
  });

  it('only uses matter permissions that the permission list knows', () => {
    const known: readonly string[] = BUSINESS_PERMISSIONS;
    for (const p of MATTER_PERMISSIONS) expect(known).toContain(p);
    for (const t of Object.values(MATTER_TRANSITIONS)) expect(MATTER_PERMISSIONS).toContain(t.permission);
  });

  it.each([
    ['accept', ['reported'], 'accepted', 'matter.accept'],
    ['reject', ['reported'], 'rejected', 'matter.accept'],
    ['merge', ['reported', 'accepted'], 'merged', 'matter.accept'],
    ['dispatch', ['accepted', 'dispatched'], 'dispatched', 'matter.dispatch'],
    ['return', ['dispatched', 'signed'], 'accepted', 'matter.sign'],
    ['sign', ['dispatched'], 'signed', 'matter.sign'],
    ['start', ['signed'], 'in_progress', 'matter.handle'],
    ['progress_note', ['in_progress'], 'in_progress', 'matter.handle'],
    ['request_extension', ['in_progress'], 'in_progress', 'matter.handle'],
    ['approve_extension', ['in_progress'], 'in_progress', 'matter.dispatch'],
    ['deny_extension', ['in_progress'], 'in_progress', 'matter.dispatch'],
    ['pause', ['in_progress'], 'in_progress', 'matter.handle'],
    ['resume', ['in_progress'], 'in_progress', 'matter.handle'],
    ['handle', ['in_progress'], 'handled', 'matter.handle'],
    ['handle_on_spot', ['reported'], 'handled', 'matter.handle'],
    ['self_handle', ['accepted'], 'signed', 'matter.dispatch'],
    [
      'escalate',
      ['reported', 'accepted', 'dispatched', 'signed', 'in_progress'],
      'accepted',
      'matter.escalate',
    ],
    [
      'pull_up',
      ['reported', 'accepted', 'dispatched', 'signed', 'in_progress'],
      'accepted',
      'matter.supervise',
    ],
    ['verify_pass', ['handled'], 'closed', 'matter.verify'],
    ['verify_fail', ['handled'], 'in_progress', 'matter.verify'],
    ['rate', ['closed'], 'rated', 'matter.rate'],
    ['reopen', ['rated'], 'in_progress', 'matter.rate'],
  ] as const)('%s: %j → %s with %s', (name, from, to, permission) => {
    const t = MATTER_TRANSITIONS[name];
    expect([...t.from].sort()).toEqual([...from].sort());
    expect(t.to).toBe(to);
    expect(t.permission).toBe(permission);
  });

  it.each([
    'reject',
    'return',
    'request_extension',
    'deny_extension',
    'pause',
    'escalate',
    'pull_up',
    'verify_fail',
    'reopen',
  ] as const)('%s needs a reason', (name) => {
    expect(MATTER_TRANSITIONS[name].needsReason).toBe(true);
  });

  it('counts verify_fail as rework', () => {
    expect(MATTER_TRANSITIONS.verify_fail.rework).toBe(true);
  });
});

describe('canFire / nextState', () => {
  it.each(pairs)('%s from %s agrees with the table', (name, state) => {
    const t = MATTER_TRANSITIONS[name];
    const allowed = t.from.includes(state);
    expect(canFire(name, state)).toBe(allowed);
    expect(nextState(name, state)).toBe(allowed ? t.to : null);
  });

  it('lists the transitions out of a state', () => {
    expect(transitionsFrom('reported')).toEqual([
      'accept',
      'reject',
      'merge',
      'handle_on_spot',
      'escalate',
      'pull_up',
    ]);
    expect(transitionsFrom('handled')).toEqual(['verify_pass', 'verify_fail']);
    expect(transitionsFrom('closed')).toEqual(['rate']);
  });

  it('narrows transition names from input', () => {
    expect(isMatterTransitionName('dispatch')).toBe(true);
    expect(isMatterTransitionName('toString')).toBe(false);
    expect(isMatterTransitionName('close')).toBe(false);
  });
});

describe('the shape of the machine', () => {
  it('has no way out of a terminal state except reopening a rated matter', () => {
    for (const state of TERMINAL_STATES) {
      expect(transitionsFrom(state)).toEqual(state === 'rated' ? ['reopen'] : []);
    }
  });

  it('never goes from reported straight to closed or rated', () => {
    for (const t of Object.values(MATTER_TRANSITIONS)) {
      if (t.from.includes('reported')) expect(['closed', 'rated']).not.toContain(t.to);
    }
  });

  it('closes only by verification', () => {
    const closers = Object.values(MATTER_TRANSITIONS).filter((t) => t.to === 'closed');
    expect(closers.map((t) => t.name)).toEqual(['verify_pass']);
  });

  it('never enters the initial state again', () => {
    for (const t of Object.values(MATTER_TRANSITIONS)) expect(t.to).not.toBe('reported');
  });

  it('reaches every state from reported', () => {
    const seen = new Set<MatterState>(['reported']);
    const queue: MatterState[] = ['reported'];
    for (let s = queue.shift(); s; s = queue.shift()) {
      for (const name of transitionsFrom(s)) {
        const to = MATTER_TRANSITIONS[name].to;
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...MATTER_STATES].sort());
  });

  it.each(MATTER_STATES.map((s) => [s] as const))('%s: open, terminal or closed, exactly one', (state) => {
    const kinds = [isOpen(state), TERMINAL_STATES.includes(state), state === 'closed'];
    expect(kinds.filter(Boolean)).toHaveLength(1);
    expect(isOpen(state)).toBe(OPEN_STATES.includes(state));
  });

  it('lets every open state move on', () => {
    for (const state of OPEN_STATES) expect(transitionsFrom(state).length).toBeGreaterThan(0);
  });
});

describe('flags', () => {
  it.each([
    ['pause', [], true],
    ['pause', ['paused'], false],
    ['resume', [], false],
    ['resume', ['paused'], true],
    ['handle', ['paused'], false],
    ['handle', ['extension_requested'], true],
    ['request_extension', [], true],
    ['request_extension', ['extension_requested'], false],
    ['request_extension', ['paused'], false],
    ['approve_extension', [], false],
    ['approve_extension', ['extension_requested'], true],
    ['deny_extension', ['extension_requested', 'paused'], true],
    ['progress_note', ['paused', 'extension_requested'], true],
  ] as const)('%s with %j → %s', (name, flags, allowed) => {
    expect(flagsAllow(name, flags)).toBe(allowed);
  });

  it.each([
    ['pause', [], ['paused']],
    ['resume', ['paused', 'extension_requested'], ['extension_requested']],
    ['request_extension', [], ['extension_requested']],
    ['approve_extension', ['extension_requested'], []],
    ['deny_extension', ['paused', 'extension_requested'], ['paused']],
    ['progress_note', ['paused'], ['paused']],
    ['escalate', ['paused', 'extension_requested'], []],
    ['handle', ['extension_requested'], []],
  ] as const)('%s turns %j into %j', (name, flags, after) => {
    expect(flagsAfter(name, flags)).toEqual(after);
  });
});

describe('verifierAllowed', () => {
  it.each([
    ['u1', 'u2', true],
    ['u1', 'u1', false],
    ['u1', '', false],
  ])('handler %s, verifier %s → %s', (handlerId, verifierId, allowed) => {
    expect(verifierAllowed({ handlerId, verifierId })).toBe(allowed);
  });
});

describe('reopenAllowed', () => {
  const ratedAt = new Date('2026-03-02T10:00:00+08:00');
  const at = (ms: number) => new Date(ratedAt.getTime() + ms);

  it.each([
    ['unsatisfied', at(0), true],
    ['unsatisfied', at(REOPEN_WINDOW_MS), true],
    ['unsatisfied', at(REOPEN_WINDOW_MS + 1), false],
    ['unsatisfied', at(-1), false],
    ['basic', at(1000), false],
    ['satisfied', at(1000), false],
  ] as const)('%s, now %s → %s', (rating, now, allowed) => {
    expect(reopenAllowed({ rating, ratedAt, now })).toBe(allowed);
  });
});

describe('labels', () => {
  const tables: [string, Record<string, { 'zh-CN': string; 'en-US': string }>, readonly string[]][] = [
    ['states', MATTER_STATE_LABELS, MATTER_STATES],
    ['transitions', MATTER_TRANSITION_LABELS, MATTER_TRANSITION_NAMES],
    ['types', MATTER_TYPE_LABELS, ['request', 'hazard', 'dispute', 'incident']],
    ['ratings', MATTER_RATING_LABELS, ['satisfied', 'basic', 'unsatisfied']],
  ];

  it.each(tables)('%s have a label in both locales', (_, labels, keys) => {
    expect(Object.keys(labels).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(labels[key]?.['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(labels[key]?.['en-US']).toMatch(/^[A-Z]/);
    }
  });

  it('uses the names of the brief for states', () => {
    expect(MATTER_STATE_LABELS.reported['zh-CN']).toBe('已上报');
    expect(MATTER_STATE_LABELS.reported['en-US']).toBe('Reported');
  });
});
