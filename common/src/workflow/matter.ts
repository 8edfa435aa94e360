/**
 * The lifecycle of a matter (事项) as data: states, transitions, who fires them and the permission each
 * needs. Pure: the server checks a command against this table, then updates the row with a state guard.
 *
 * Flags (`paused`, `extension_requested`) live beside the state while a matter is in progress; they never
 * survive a move out of `in_progress`.
 */

export const MATTER_TYPES = ['request', 'hazard', 'dispute', 'incident'] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

export const MATTER_STATES = [
  'reported',
  'accepted',
  'rejected',
  'merged',
  'dispatched',
  'signed',
  'in_progress',
  'handled',
  'closed',
  'rated',
] as const;
export type MatterState = (typeof MATTER_STATES)[number];

/** The state a matter is created in; creating one needs {@link MATTER_CREATE_PERMISSION}. */
export const MATTER_INITIAL_STATE: MatterState = 'reported';

/** States with no way forward; `rated` can still be reopened by an unsatisfied requester. */
export const TERMINAL_STATES: readonly MatterState[] = ['rejected', 'merged', 'rated'];

/** States in which someone still owes work on the matter (verification included). */
export const OPEN_STATES: readonly MatterState[] = [
  'reported',
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
  'handled',
];

/** Open states before feedback: a matter in one of these can be escalated or pulled up. */
const BEFORE_HANDLED: readonly MatterState[] = [
  'reported',
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
];

export const MATTER_PERMISSIONS = [
  'matter.report',
  'matter.accept',
  'matter.dispatch',
  'matter.sign',
  'matter.handle',
  'matter.verify',
  'matter.escalate',
  'matter.supervise',
  'matter.rate',
] as const;
export type MatterPermission = (typeof MATTER_PERMISSIONS)[number];

export const MATTER_CREATE_PERMISSION: MatterPermission = 'matter.report';

export type MatterActor =
  | 'reporter'
  | 'desk'
  | 'dispatcher'
  | 'handler'
  | 'verifier'
  | 'requester'
  | 'supervisor'
  | 'system';

export const MATTER_FLAGS = ['paused', 'extension_requested'] as const;
export type MatterFlag = (typeof MATTER_FLAGS)[number];

export const MATTER_RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type MatterRating = (typeof MATTER_RATINGS)[number];

/** Which grid level holds the matter after the transition, when it changes hands between levels. */
export type MatterLevelMove =
  /** back to the level that dispatched it (退件) */
  | 'dispatcher'
  /** up to the parent of the level that holds it (上报上级) */
  | 'parent'
  /** to the level of the caller, a higher level taking it over (提级) */
  | 'caller';

/** Input a command must carry besides a reason. */
export type MatterTransitionInput = 'target_matter' | 'assignee' | 'result' | 'rating';

export interface MatterTransition {
  readonly name: MatterTransitionName;
  readonly from: readonly MatterState[];
  readonly to: MatterState;
  /** Who normally fires it; informational, the gate is `permission` plus the service's own checks. */
  readonly actor: MatterActor;
  readonly permission: MatterPermission;
  readonly needsReason?: boolean;
  readonly input?: MatterTransitionInput;
  readonly moves?: MatterLevelMove;
  /** Sent back after a failed verification: counts as rework (发回重办). */
  readonly rework?: boolean;
  /** Flags that must all be set for the transition to fire. */
  readonly requiresFlags?: readonly MatterFlag[];
  /** Flags none of which may be set for the transition to fire. */
  readonly forbidsFlags?: readonly MatterFlag[];
  readonly setsFlag?: MatterFlag;
  readonly clearsFlag?: MatterFlag;
}

export const MATTER_TRANSITION_NAMES = [
  'accept',
  'reject',
  'merge',
  'dispatch',
  'return',
  'sign',
  'start',
  'progress_note',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'pause',
  'resume',
  'handle',
  'handle_on_spot',
  'self_handle',
  'escalate',
  'pull_up',
  'verify_pass',
  'verify_fail',
  'rate',
  'reopen',
] as const;
export type MatterTransitionName = (typeof MATTER_TRANSITION_NAMES)[number];

type TransitionTable = { readonly [N in MatterTransitionName]: MatterTransition & { readonly name: N } };

export const MATTER_TRANSITIONS: TransitionTable = {
  accept: { name: 'accept', from: ['reported'], to: 'accepted', actor: 'desk', permission: 'matter.accept' },
  reject: {
    name: 'reject',
    from: ['reported'],
    to: 'rejected',
    actor: 'desk',
    permission: 'matter.accept',
    needsReason: true,
  },
  merge: {
    name: 'merge',
    from: ['reported', 'accepted'],
    to: 'merged',
    actor: 'desk',
    permission: 'matter.accept',
    input: 'target_matter',
  },
  // A returned matter is back in `accepted` at the dispatching level, so `accepted` covers re-dispatch
  // after 退件; `dispatched` covers re-assigning before the receiver signs.
  dispatch: {
    name: 'dispatch',
    from: ['accepted', 'dispatched'],
    to: 'dispatched',
    actor: 'dispatcher',
    permission: 'matter.dispatch',
    input: 'assignee',
  },
  return: {
    name: 'return',
    from: ['dispatched', 'signed'],
    to: 'accepted',
    actor: 'handler',
    permission: 'matter.sign',
    needsReason: true,
    moves: 'dispatcher',
  },
  sign: { name: 'sign', from: ['dispatched'], to: 'signed', actor: 'handler', permission: 'matter.sign' },
  start: {
    name: 'start',
    from: ['signed'],
    to: 'in_progress',
    actor: 'handler',
    permission: 'matter.handle',
  },
  progress_note: {
    name: 'progress_note',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'handler',
    permission: 'matter.handle',
  },
  request_extension: {
    name: 'request_extension',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'handler',
    permission: 'matter.handle',
    needsReason: true,
    forbidsFlags: ['extension_requested', 'paused'],
    setsFlag: 'extension_requested',
  },
  approve_extension: {
    name: 'approve_extension',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'dispatcher',
    permission: 'matter.dispatch',
    requiresFlags: ['extension_requested'],
    clearsFlag: 'extension_requested',
  },
  deny_extension: {
    name: 'deny_extension',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'dispatcher',
    permission: 'matter.dispatch',
    needsReason: true,
    requiresFlags: ['extension_requested'],
    clearsFlag: 'extension_requested',
  },
  pause: {
    name: 'pause',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'handler',
    permission: 'matter.handle',
    needsReason: true,
    forbidsFlags: ['paused'],
    setsFlag: 'paused',
  },
  resume: {
    name: 'resume',
    from: ['in_progress'],
    to: 'in_progress',
    actor: 'handler',
    permission: 'matter.handle',
    requiresFlags: ['paused'],
    clearsFlag: 'paused',
  },
  handle: {
    name: 'handle',
    from: ['in_progress'],
    to: 'handled',
    actor: 'handler',
    permission: 'matter.handle',
    input: 'result',
    forbidsFlags: ['paused'],
  },
  handle_on_spot: {
    name: 'handle_on_spot',
    from: ['reported'],
    to: 'handled',
    actor: 'reporter',
    permission: 'matter.handle',
    input: 'result',
  },
  self_handle: {
    name: 'self_handle',
    from: ['accepted'],
    to: 'signed',
    actor: 'dispatcher',
    permission: 'matter.dispatch',
  },
  // The actor is whoever holds the matter at its current level.
  escalate: {
    name: 'escalate',
    from: BEFORE_HANDLED,
    to: 'accepted',
    actor: 'handler',
    permission: 'matter.escalate',
    needsReason: true,
    moves: 'parent',
  },
  pull_up: {
    name: 'pull_up',
    from: BEFORE_HANDLED,
    to: 'accepted',
    actor: 'supervisor',
    permission: 'matter.supervise',
    needsReason: true,
    moves: 'caller',
  },
  verify_pass: {
    name: 'verify_pass',
    from: ['handled'],
    to: 'closed',
    actor: 'verifier',
    permission: 'matter.verify',
  },
  verify_fail: {
    name: 'verify_fail',
    from: ['handled'],
    to: 'in_progress',
    actor: 'verifier',
    permission: 'matter.verify',
    needsReason: true,
    rework: true,
  },
  rate: {
    name: 'rate',
    from: ['closed'],
    to: 'rated',
    actor: 'requester',
    permission: 'matter.rate',
    input: 'rating',
  },
  reopen: {
    name: 'reopen',
    from: ['rated'],
    to: 'in_progress',
    actor: 'requester',
    permission: 'matter.rate',
    needsReason: true,
    rework: true,
  },
};

/** How long after rating an unsatisfied requester may reopen a matter: 7 natural days. */
export const REOPEN_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether a value names a transition, for narrowing untrusted input. */
export function isMatterTransitionName(value: string): value is MatterTransitionName {
  return Object.hasOwn(MATTER_TRANSITIONS, value);
}

/** Whether `transition` may fire from `state` (state only; see {@link flagsAllow} for flags). */
export function canFire(transition: MatterTransitionName, state: MatterState): boolean {
  return MATTER_TRANSITIONS[transition].from.includes(state);
}

/** The state after firing `transition` from `state`, or null when it cannot fire from there. */
export function nextState(transition: MatterTransitionName, state: MatterState): MatterState | null {
  return canFire(transition, state) ? MATTER_TRANSITIONS[transition].to : null;
}

/** The transitions that may fire from `state`, in table order. */
export function transitionsFrom(state: MatterState): MatterTransitionName[] {
  return MATTER_TRANSITION_NAMES.filter((name) => canFire(name, state));
}

/** Whether someone still owes work on a matter in this state. */
export function isOpen(state: MatterState): boolean {
  return OPEN_STATES.includes(state);
}

/** Whether the matter's current flags let `transition` fire. */
export function flagsAllow(transition: MatterTransitionName, flags: readonly MatterFlag[]): boolean {
  const t: MatterTransition = MATTER_TRANSITIONS[transition];
  if (t.requiresFlags?.some((f) => !flags.includes(f))) return false;
  if (t.forbidsFlags?.some((f) => flags.includes(f))) return false;
  return true;
}

/** The flags after firing `transition`; flags are dropped whenever the matter leaves `in_progress`. */
export function flagsAfter(transition: MatterTransitionName, flags: readonly MatterFlag[]): MatterFlag[] {
  const t: MatterTransition = MATTER_TRANSITIONS[transition];
  if (t.to !== 'in_progress') return [];
  const next = new Set(flags);
  if (t.clearsFlag) next.delete(t.clearsFlag);
  if (t.setsFlag) next.add(t.setsFlag);
  return MATTER_FLAGS.filter((f) => next.has(f));
}

/** Verification is by someone other than the handler (no self-verification). */
export function verifierAllowed({
  handlerId,
  verifierId,
}: {
  handlerId: string;
  verifierId: string;
}): boolean {
  return verifierId !== '' && verifierId !== handlerId;
}

/** Whether a rated matter may still be reopened: unsatisfied, and within {@link REOPEN_WINDOW_MS}. */
export function reopenAllowed({
  rating,
  ratedAt,
  now,
}: {
  rating: MatterRating;
  ratedAt: Date;
  now: Date;
}): boolean {
  const elapsed = now.getTime() - ratedAt.getTime();
  return rating === 'unsatisfied' && elapsed >= 0 && elapsed <= REOPEN_WINDOW_MS;
}

type Labels = { readonly 'zh-CN': string; readonly 'en-US': string };
export type MatterLocale = keyof Labels;

export const MATTER_TYPE_LABELS: { readonly [T in MatterType]: Labels } = {
  request: { 'zh-CN': '诉求', 'en-US': 'Request' },
  hazard: { 'zh-CN': '隐患', 'en-US': 'Hazard' },
  dispute: { 'zh-CN': '矛盾纠纷', 'en-US': 'Dispute' },
  incident: { 'zh-CN': '事件', 'en-US': 'Incident' },
};

export const MATTER_STATE_LABELS: { readonly [S in MatterState]: Labels } = {
  reported: { 'zh-CN': '已上报', 'en-US': 'Reported' },
  accepted: { 'zh-CN': '已受理', 'en-US': 'Accepted' },
  rejected: { 'zh-CN': '不予受理', 'en-US': 'Rejected' },
  merged: { 'zh-CN': '已合并', 'en-US': 'Merged' },
  dispatched: { 'zh-CN': '已分拨', 'en-US': 'Dispatched' },
  signed: { 'zh-CN': '已签收', 'en-US': 'Signed for' },
  in_progress: { 'zh-CN': '处置中', 'en-US': 'In progress' },
  handled: { 'zh-CN': '已处置', 'en-US': 'Handled' },
  closed: { 'zh-CN': '已结案', 'en-US': 'Closed' },
  rated: { 'zh-CN': '已评价', 'en-US': 'Rated' },
};

export const MATTER_TRANSITION_LABELS: { readonly [N in MatterTransitionName]: Labels } = {
  accept: { 'zh-CN': '受理', 'en-US': 'Accept' },
  reject: { 'zh-CN': '不予受理', 'en-US': 'Reject' },
  merge: { 'zh-CN': '合并', 'en-US': 'Merge' },
  dispatch: { 'zh-CN': '分拨', 'en-US': 'Dispatch' },
  return: { 'zh-CN': '退件', 'en-US': 'Return' },
  sign: { 'zh-CN': '签收', 'en-US': 'Sign for' },
  start: { 'zh-CN': '开始处置', 'en-US': 'Start' },
  progress_note: { 'zh-CN': '进展反馈', 'en-US': 'Progress note' },
  request_extension: { 'zh-CN': '申请延期', 'en-US': 'Request extension' },
  approve_extension: { 'zh-CN': '批准延期', 'en-US': 'Approve extension' },
  deny_extension: { 'zh-CN': '驳回延期', 'en-US': 'Deny extension' },
  pause: { 'zh-CN': '挂起', 'en-US': 'Pause' },
  resume: { 'zh-CN': '恢复办理', 'en-US': 'Resume' },
  handle: { 'zh-CN': '处置反馈', 'en-US': 'Report handled' },
  handle_on_spot: { 'zh-CN': '当场办结', 'en-US': 'Handle on the spot' },
  self_handle: { 'zh-CN': '自处理', 'en-US': 'Handle at this level' },
  escalate: { 'zh-CN': '上报上级', 'en-US': 'Escalate' },
  pull_up: { 'zh-CN': '提级办理', 'en-US': 'Pull up' },
  verify_pass: { 'zh-CN': '核查通过', 'en-US': 'Verify' },
  verify_fail: { 'zh-CN': '发回重办', 'en-US': 'Send back' },
  rate: { 'zh-CN': '评价', 'en-US': 'Rate' },
  reopen: { 'zh-CN': '重新办理', 'en-US': 'Reopen' },
};

export const MATTER_RATING_LABELS: { readonly [R in MatterRating]: Labels } = {
  satisfied: { 'zh-CN': '满意', 'en-US': 'Satisfied' },
  basic: { 'zh-CN': '基本满意', 'en-US': 'Fairly satisfied' },
  unsatisfied: { 'zh-CN': '不满意', 'en-US': 'Unsatisfied' },
};
