import { VERDICTS, type Verdict } from '../types';
import type { Report, ReportLink, ReportSight } from './report';

function pickLink(link: ReportLink): ReportLink {
  return {
    url: link.url,
    verdict: link.verdict,
    status: link.status,
    finalUrl: link.finalUrl,
    ms: link.ms,
    occurrences: link.occurrences,
    reason: link.reason,
    redirects: link.redirects.map((hop) => ({ url: hop.url, status: hop.status })),
    attempts: link.attempts,
    texts: link.texts,
    cached: link.cached,
    errorText: link.errorText,
    note: link.note,
    change: link.change,
    ...(link.sources
      ? { sources: link.sources.map((s) => ({ page: s.page, text: s.text })), sourceCount: link.sourceCount ?? 0 }
      : {}),
    ...(link.verified === 'browser' ? { verified: 'browser' as const } : {}),
    ...(link.tab ? { tab: pickSight(link.tab) } : {}),
  };
}

function pickSight(tab: ReportSight): ReportSight {
  const sight: ReportSight = { status: tab.status, finalUrl: tab.finalUrl, title: tab.title, ms: tab.ms };
  if (tab.challenge !== undefined) sight.challenge = tab.challenge;
  if (tab.note !== undefined) sight.note = tab.note;
  return sight;
}

/** The JSON export: the schema's fields picked one by one, so nothing else that rides on the objects leaks out. */
export function toJson(report: Report): string {
  const { summary } = report;
  const picked: Report = {
    tool: report.tool,
    version: report.version,
    page: { url: report.page.url, title: report.page.title },
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    settings: report.settings,
    summary: {
      state: summary.state,
      total: summary.total,
      checked: summary.checked,
      ...(Object.fromEntries(VERDICTS.map((verdict) => [verdict, summary[verdict]])) as Record<Verdict, number>),
      newProblems: summary.newProblems,
    },
    links: report.links.map(pickLink),
    ...(report.site ? { site: structuredClone(report.site) } : {}),
  };
  return `${JSON.stringify(picked, null, 2)}\n`;
}
