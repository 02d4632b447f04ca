import { describe, expect, it } from 'vitest';
import { privateHostConditions } from '../../../utils/rules/private-host-patterns';
import { RULES_PER_TAB, tabGuardRules } from '../../../utils/verify/tab-guard';

describe('tabGuardRules', () => {
  it('blocks every private-host condition for that one tab, the navigation itself included', () => {
    const rules = tabGuardRules(42, 100);
    expect(rules).toHaveLength(RULES_PER_TAB);
    expect(rules.map((r) => r.id)).toEqual(Array.from({ length: RULES_PER_TAB }, (_, i) => 100 + i));
    for (const rule of rules) {
      expect(rule.action).toEqual({ type: 'block' });
      expect(rule.condition.tabIds).toEqual([42]);
    }
    // A rule without resource types leaves the main frame alone: each condition also has a rule naming it.
    for (const hosts of privateHostConditions()) {
      const same = rules.filter(
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

  it('gives two tabs rules that never share an id', () => {
    const first = tabGuardRules(1, 1);
    const second = tabGuardRules(2, 1 + RULES_PER_TAB);
    const ids = new Set([...first, ...second].map((r) => r.id));
    expect(ids.size).toBe(2 * RULES_PER_TAB);
  });
});
