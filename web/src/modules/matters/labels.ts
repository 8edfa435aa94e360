import {
  isMatterTransitionName,
  MATTER_RATING_LABELS,
  MATTER_STATE_LABELS,
  MATTER_TRANSITION_LABELS,
  MATTER_TYPE_LABELS,
  type MatterRating,
  type MatterState,
  type MatterTransitionName,
  type MatterType,
} from '@gridgov/common/workflow/matter';
import { useTranslation } from 'react-i18next';

/** Events that are not transitions, with their catalogue keys. */
const EVENT_NAMES = [
  'report',
  'warning',
  'overdue',
  'supervise',
  'supervision_reply',
  'supervision_close',
  'supervision_overdue',
] as const;
type EventName = (typeof EVENT_NAMES)[number];
const isEventName = (action: string): action is EventName =>
  (EVENT_NAMES as readonly string[]).includes(action);

/**
 * Names of states, transitions, types and ratings. They come from the workflow table in common/ (one
 * wording for the web, exports and notices), in the interface language; other events from the catalogue.
 */
export function useMatterLabels() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  return {
    state: (s: MatterState) => MATTER_STATE_LABELS[s]?.[lng] ?? s,
    transition: (n: MatterTransitionName) => MATTER_TRANSITION_LABELS[n]?.[lng] ?? n,
    type: (ty: MatterType) => MATTER_TYPE_LABELS[ty]?.[lng] ?? ty,
    rating: (r: MatterRating) => MATTER_RATING_LABELS[r]?.[lng] ?? r,
    event: (action: string): string => {
      if (isMatterTransitionName(action)) return MATTER_TRANSITION_LABELS[action][lng];
      if (isEventName(action)) return t(`matter.event.${action}`);
      return action;
    },
  };
}

export const STATE_COLORS: Record<MatterState, string> = {
  reported: 'blue',
  accepted: 'cyan',
  rejected: 'default',
  merged: 'default',
  dispatched: 'geekblue',
  signed: 'purple',
  in_progress: 'gold',
  handled: 'lime',
  closed: 'green',
  rated: 'green',
};
