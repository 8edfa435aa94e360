import { describe, expect, it } from 'vitest';
import {
  type DeadlineStatus,
  deadlineStatus,
  type MatterSummaryRow,
  presentSummary,
} from './matters.summary.ts';

const now = new Date('2026-03-02T08:00:00Z');
const past = new Date('2026-03-02T07:00:00Z');
const future = new Date('2026-03-03T08:00:00Z');

describe('deadlineStatus', () => {
  const cases: [string, Partial<MatterSummaryRow>, DeadlineStatus][] = [
    ['no running limit', {}, 'none'],
    ['due later', { due_at: future, warn_at: future }, 'ok'],
    ['warned by the sweeper', { due_at: future, warn_at: future, warned: true }, 'warning'],
    ['warning time passed, not yet swept', { due_at: future, warn_at: past }, 'warning'],
    ['warning time exactly now', { due_at: future, warn_at: now }, 'warning'],
    ['overdue by the sweeper', { due_at: future, overdue: true }, 'overdue'],
    ['due time passed, not yet swept', { due_at: past, warn_at: past, warned: true }, 'overdue'],
    ['due time exactly now', { due_at: now }, 'overdue'],
    ['paused beats everything', { due_at: past, overdue: true, paused_at: past }, 'paused'],
    ['dates as strings', { due_at: past.toISOString() as unknown as Date }, 'overdue'],
  ];
  it.each(cases)('%s', (_, row, want) => {
    const full = { paused_at: null, overdue: false, due_at: null, warned: false, warn_at: null, ...row };
    expect(deadlineStatus(full, now)).toBe(want);
  });
});

describe('presentSummary', () => {
  const row: MatterSummaryRow = {
    id: 7,
    code: 'M1',
    type: 'hazard',
    category_id: 3,
    category_name_zh: '消防通道堵塞',
    category_name_en: 'Blocked fire lane',
    title: '通道被占',
    state: 'dispatched',
    flags: [],
    priority: 'urgent',
    source: 'hotline',
    grid_id: 11,
    grid_path: '/1/2/11/',
    grid_name: '一网格',
    owner_grid_id: 2,
    owner_path: '/1/2/',
    owner_name: '甲镇',
    assignee_grid_id: null,
    assignee_path: null,
    assignee_name: null,
    department_id: 5,
    department_name: '城管',
    handler_id: null,
    step: 'sign',
    due_at: future,
    warn_at: past,
    warned: false,
    overdue: false,
    paused_at: null,
    problem: false,
    open_supervisions: 1,
    rework_count: 0,
    created_at: past,
    updated_at: now,
  };

  it('names beside ids, ISO dates, the deadline light, nothing else', () => {
    expect(presentSummary(row, now)).toEqual({
      id: 7,
      code: 'M1',
      type: 'hazard',
      category: { id: 3, nameZh: '消防通道堵塞', nameEn: 'Blocked fire lane' },
      title: '通道被占',
      state: 'dispatched',
      flags: [],
      priority: 'urgent',
      source: 'hotline',
      grid: { id: 11, name: '一网格' },
      owner: { id: 2, name: '甲镇' },
      assignee: null,
      department: { id: 5, name: '城管' },
      deadline: { step: 'sign', dueAt: future.toISOString(), warnAt: past.toISOString(), status: 'warning' },
      problem: false,
      openSupervisions: 1,
      reworkCount: 0,
      createdAt: past.toISOString(),
      updatedAt: now.toISOString(),
    });
  });
});
