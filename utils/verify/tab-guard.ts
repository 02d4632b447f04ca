import { type HostCondition, privateHostConditions } from '../rules/private-host-patterns';

/** A declarativeNetRequest session rule that blocks what one verification tab asks of the user's own network. */
export interface TabGuardRule {
  id: number;
  priority: number;
  action: { type: 'block' };
  condition: HostCondition & { tabIds: number[]; resourceTypes?: ['main_frame'] };
}

/** How many session rules guard one tab, so that each tab's block of rule ids is known in advance. */
export const RULES_PER_TAB = privateHostConditions().length * 2;

/**
 * The rules that keep one verification tab out of the user's own network: every request the tab makes (the page, each
 * redirect hop, its frames, scripts, images, fetches and sockets) to a private host is blocked before it leaves, as
 * the private-network guard refuses it to a check. Ids run from `firstId` for RULES_PER_TAB.
 */
export function tabGuardRules(tabId: number, firstId: number): TabGuardRule[] {
  // Each condition twice: a rule without resource types matches every type but the main frame (the navigation itself
  // and its redirects), which only a rule naming it matches. Browsers differ in their other types, so none is named.
  const conditions = privateHostConditions().flatMap((hosts) => [
    { ...hosts, tabIds: [tabId] },
    { ...hosts, tabIds: [tabId], resourceTypes: ['main_frame'] as ['main_frame'] },
  ]);
  return conditions.map((condition, i) => ({ id: firstId + i, priority: 1, action: { type: 'block' }, condition }));
}
