import { type HostCondition, privateHostConditions } from '../rules/private-host-patterns';

/** A declarativeNetRequest session rule that blocks what one verification tab asks of the user's own network. */
export interface TabGuardBlockRule {
  id: number;
  priority: number;
  action: { type: 'block' };
  condition: HostCondition & { tabIds: number[]; resourceTypes?: ['main_frame'] };
}

/** The rule that adds NO_WORKERS_POLICY to every document one verification tab loads. */
export interface TabGuardPolicyRule {
  id: number;
  priority: number;
  action: {
    type: 'modifyHeaders';
    responseHeaders: [{ header: 'content-security-policy'; operation: 'append'; value: string }];
  };
  condition: { tabIds: number[]; resourceTypes: ['main_frame', 'sub_frame'] };
}

export type TabGuardRule = TabGuardBlockRule | TabGuardPolicyRule;

/**
 * The policy added to a verification tab's documents: no worker of any kind. A service worker's requests (and a shared
 * worker's) belong to no tab (tab id -1), so the tab's block rules never see them, and a service worker outlives the
 * tab and its rules (it can be woken later, by a background sync). Appended, the policy is enforced beside the page's
 * own: it only takes away. A wall that computes its challenge in a worker is not passed: the link keeps its verdict.
 */
export const NO_WORKERS_POLICY = "worker-src 'none'";

/** How many session rules guard one tab, so that each tab's block of rule ids is known in advance. */
export const RULES_PER_TAB = privateHostConditions().length * 2 + 1;

/**
 * The rules that keep one verification tab out of the user's own network: every request the tab makes (the page, each
 * redirect hop, its frames, scripts, images, fetches and sockets) to a private host is blocked before it leaves, as
 * the private-network guard refuses it to a check, and none of its documents may start a worker (NO_WORKERS_POLICY),
 * whose requests would leave from outside the tab. Ids run from `firstId` for RULES_PER_TAB.
 */
export function tabGuardRules(tabId: number, firstId: number): TabGuardRule[] {
  // Each condition twice: a rule without resource types matches every type but the main frame (the navigation itself
  // and its redirects), which only a rule naming it matches. Browsers differ in their other types, so none is named.
  const conditions = privateHostConditions().flatMap((hosts) => [
    { ...hosts, tabIds: [tabId] },
    { ...hosts, tabIds: [tabId], resourceTypes: ['main_frame'] as ['main_frame'] },
  ]);
  const blocks = conditions.map(
    (condition, i): TabGuardBlockRule => ({ id: firstId + i, priority: 1, action: { type: 'block' }, condition }),
  );
  const policy: TabGuardPolicyRule = {
    id: firstId + blocks.length,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      responseHeaders: [{ header: 'content-security-policy', operation: 'append', value: NO_WORKERS_POLICY }],
    },
    condition: { tabIds: [tabId], resourceTypes: ['main_frame', 'sub_frame'] },
  };
  return [...blocks, policy];
}
