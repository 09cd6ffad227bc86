/**
 * `ui:field: EnvironmentChange` on the `environment` object of the "Change an AKS environment"
 * template: prefilled with the environment's stored request **read from Git** (never from the URL
 * or the catalog), then rjsf's own fields for what the template lets change, and below them what
 * the change would do, computed on the server by the same core as the action (the typed diff, the
 * files, the drift) or why it is refused. Both reads go through the scaffolder's own autocomplete
 * endpoint, served by the scaffolder module's `aks-gitops` provider (environmentAutocomplete.ts).
 *
 * The cluster (its entity reference `resource:default/<name>`, or its name) and the repository
 * come from the earlier step's `cluster` and `repoUrl`
 * (`formContext.formData`, which @backstage/plugin-scaffolder-react's Stepper fills with the
 * steps' values).
 */
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  makeFieldSchema,
  scaffolderApiRef,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { useEffect, useState } from 'react';
import { entityRefKinds } from '@aks-gitops/plugin-aks-gitops-common/form-rules';
import { readableEntityRef } from './entityNameField';

export const ENVIRONMENT_CHANGE_FIELD = 'EnvironmentChange';
/** The scaffolder module's autocomplete provider and the token it takes when the user has none. */
const PROVIDER = 'aks-gitops';
const NO_USER_TOKEN = 'integration';

export const environmentChangeSchema = makeFieldSchema({
  output: z => z.record(z.unknown()),
});

/**
 * The stored request holds full entity references (`group:default/platform-team`); the form and its
 * review show them as the EntityName fields store them (`platform-team`), changed here in one
 * onChange (rjsf 5.24's ObjectField merges a child's change into the object as it last rendered,
 * so two fields changing theirs at once would undo each other). The server reads both forms as
 * the same reference, so this is no change.
 */
function readableRequest(
  request: Record<string, unknown>,
): Record<string, unknown> {
  const readable = { ...request };
  for (const [field, [defaultKind]] of Object.entries(entityRefKinds)) {
    const ref = readable[field];
    if (typeof ref === 'string' && ref)
      readable[field] = readableEntityRef(ref, defaultKind);
  }
  return readable;
}

interface Line {
  title?: string;
  id: string;
}

const HEADINGS: Record<string, string> = {
  change: 'What changes',
  file: 'Files the pull request changes',
  drift: 'Hand edits the stored request does not explain (left as they are)',
  refused: 'Refused',
};

export function EnvironmentChangeInput(
  props: typeof environmentChangeSchema.TProps,
) {
  const { formData, onChange, registry, formContext } = props;
  const scaffolderApi = useApi(scaffolderApiRef);
  const steps = (formContext?.formData ?? {}) as Record<string, unknown>;
  // The cluster's entity reference (EntityPicker, or the card's link), or a bare name.
  const cluster =
    typeof steps.cluster === 'string'
      ? steps.cluster.replace(/^resource:default\//i, '')
      : '';
  const repoUrl = typeof steps.repoUrl === 'string' ? steps.repoUrl : '';
  const [problem, setProblem] = useState<string>();
  const [preview, setPreview] = useState<Line[]>([]);
  const loaded =
    (formData?.cluster as { name?: unknown } | undefined)?.name === cluster;

  // The stored request, once per cluster and repository.
  useEffect(() => {
    if (!cluster || !repoUrl || loaded) return undefined;
    let current = true;
    scaffolderApi
      .autocomplete({
        token: NO_USER_TOKEN,
        provider: PROVIDER,
        resource: 'stored-request',
        context: { cluster, repoUrl },
      })
      .then(({ results }) => {
        const [stored] = results;
        if (!current || !stored) return;
        setProblem(undefined);
        onChange(
          readableRequest(JSON.parse(stored.id) as Record<string, unknown>),
        );
      })
      .catch((error: Error) => current && setProblem(error.message));
    return () => {
      current = false;
    };
  }, [cluster, repoUrl, loaded, scaffolderApi, onChange]);

  // What the change would do, again after each edit (half a second after the last keystroke).
  const request = loaded ? JSON.stringify(formData) : '';
  useEffect(() => {
    if (!request) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      scaffolderApi
        .autocomplete({
          token: NO_USER_TOKEN,
          provider: PROVIDER,
          resource: 'change-preview',
          context: { repoUrl, request },
        })
        .then(({ results }) => current && setPreview(results))
        .catch((error: Error) => current && setProblem(error.message));
    }, 500);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [request, repoUrl, scaffolderApi]);

  const { ObjectField } = registry.fields;
  return (
    <>
      {problem && <Typography color="error">{problem}</Typography>}
      {!loaded && !problem && (
        <Typography>
          Reading the stored request of {cluster} from Git…
        </Typography>
      )}
      {loaded && ObjectField && <ObjectField {...props} />}
      {Object.entries(HEADINGS).map(([title, heading]) => {
        const lines = preview.filter(line => line.title === title);
        if (lines.length === 0) return null;
        return (
          <div key={title} data-testid={`environment-change-${title}`}>
            <Typography variant="subtitle2">{heading}</Typography>
            <ul>
              {lines.map(line => (
                <li key={line.id}>
                  <Typography variant="body2">{line.id}</Typography>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      {loaded && preview.length === 0 && (
        <Typography variant="body2">Nothing changes yet.</Typography>
      )}
    </>
  );
}

/** `ui:field: EnvironmentChange` (new frontend system). */
export const environmentChangeField = createFormField({
  name: ENVIRONMENT_CHANGE_FIELD,
  component: EnvironmentChangeInput,
  schema: environmentChangeSchema,
});
