import { describe, expect, it } from 'vitest';
import { privateHostConditions } from '../../../utils/rules/private-host-patterns';
import { RULES_PER_TAB, tabGuardRules } from '../../../utils/verify/tab-guard';

describe('tabGuardRules', () => {
  it('blocks every private-host condition for that one tab, the navigation itself included', () => {
    const rules = tabGuardRules(42, 100);
    expect(rules).toHaveLength(RULES_PER_TAB);
    expect(rules.map((r) => r.id)).toEqual(Array.from({ length: RULES_PER_TAB }, (_, i) => 100 + i));
    for (const rule of rules) expect(rule.condition.tabIds).toEqual([42]);
    const blocks = rules.filter((r) => r.action.type === 'block');
    expect(blocks).toHaveLength(privateHostConditions().length * 2);
    // A rule without resource types leaves the main frame alone: each condition also has a rule naming it.
    for (const hosts of privateHostConditions()) {
      const same = blocks.filter(
        (r) =>
          JSON.stringify({ ...r.condition, tabIds: [], resourceTypes: [] }) ===
          JSON.stringify({ ...hosts, tabIds: [], resourceTypes: [] }),
      );
      expect(same.map((r) => r.condition.resourceTypes ?? 'all but the main frame')).toEqual([
        'all but the main frame',
        ['main_frame'],
      ]);
    }
  });

  it('keeps every document of that one tab from starting a worker, whose requests would belong to no tab', () => {
    const policies = tabGuardRules(42, 100).filter((r) => r.action.type === 'modifyHeaders');
    expect(policies).toEqual([
      expect.objectContaining({
        action: {
          type: 'modifyHeaders',
          responseHeaders: [{ header: 'content-security-policy', operation: 'append', value: "worker-src 'none'" }],
        },
        condition: { tabIds: [42], resourceTypes: ['main_frame', 'sub_frame'] },
      }),
    ]);
  });

  it('gives two tabs rules that never share an id', () => {
    const first = tabGuardRules(1, 1);
    const second = tabGuardRules(2, 1 + RULES_PER_TAB);
    const ids = new Set([...first, ...second].map((r) => r.id));
    expect(ids.size).toBe(2 * RULES_PER_TAB);
  });
});
