/**
 * The pull request of a change: what changes in the request's terms (the typed diff), the files,
 * the review checklist, and the hand edits the stored request does not explain (drift).
 */
import {
  changeChecklist,
  describeChange,
  describeDrift,
  type EnvironmentChangeResult,
} from '@aks-gitops/plugin-aks-gitops-common';

/** Inline code must not be broken by backticks or newlines in a value. */
const code = (text: string) =>
  `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;

export function changePullRequestTitle(
  result: EnvironmentChangeResult,
): string {
  const first = result.changes[0];
  const more =
    result.changes.length > 1 ? ` (+${result.changes.length - 1})` : '';
  return `Change AKS environment ${result.request.cluster.name}: ${first ? describeChange(first) : 'no change'}${more}`;
}

export function changePullRequestBody(options: {
  result: EnvironmentChangeResult;
  taskUrl?: string;
}): string {
  const { result, taskUrl } = options;
  const files = Object.entries(result.files).map(
    ([path, text]) => `- ${code(path)}${text === null ? ' (deleted)' : ''}`,
  );
  const drift =
    result.drift.length === 0
      ? ['None: every generated file is as the stored request renders it.']
      : [
          'Hand edits of generated files the stored request does not explain (left as they are):',
          '',
          ...result.drift.map(item => `- ${code(describeDrift(item))}`),
        ];
  return [
    `Changes AKS environment ${code(result.request.cluster.name)} from its stored request.`,
    '',
    '## Changes',
    '',
    ...result.changes.map(change => `- ${code(describeChange(change))}`),
    '',
    '## Files',
    '',
    ...files,
    '',
    '## Review checklist',
    '',
    ...changeChecklist(result.request, result.changes).map(
      line => `- [ ] ${line}`,
    ),
    '',
    '## Drift',
    '',
    ...drift,
    ...(taskUrl ? ['', `Opened by the Backstage task ${taskUrl}.`] : []),
    '',
  ].join('\n');
}
