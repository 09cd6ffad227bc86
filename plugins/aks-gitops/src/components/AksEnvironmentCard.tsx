import {
  InfoCard,
  Link,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import {
  nodePoolText,
  readCluster,
  stateDescription,
  type AksCluster,
} from '../clusters';
import { templateRouteRef } from '../routes';
import { TEMPLATES, withCluster } from '../templates';

/** The state as a status dot and its name. */
export function ClusterStateStatus(props: { state?: string }) {
  const { state } = props;
  const text = state ?? 'unknown';
  if (state === 'active') return <StatusOK>{text}</StatusOK>;
  if (state === 'pending') return <StatusPending>{text}</StatusPending>;
  return <StatusWarning>{text}</StatusWarning>;
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <Box display="flex" py={0.75}>
      <Box width="11rem" flexShrink={0}>
        <Typography variant="subtitle2" component="span">
          {props.label}
        </Typography>
      </Box>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

const NONE = '—';

export interface AksEnvironmentCardViewProps {
  cluster: AksCluster;
  /** Links to the Day-2 templates with this cluster preselected; left out when the scaffolder is not installed. */
  changeUrl?: string;
  decommissionUrl?: string;
}

/** The card's content for one cluster. */
export function AksEnvironmentCardView(props: AksEnvironmentCardViewProps) {
  const { cluster, changeUrl, decommissionUrl } = props;
  const on = cluster.addons.filter(a => a.enabled === true).map(a => a.title);
  const off = cluster.addons.filter(a => a.enabled === false).map(a => a.title);
  // A pending cluster is not on the default branch yet: there is nothing to change or remove.
  const actionable = cluster.state !== undefined && cluster.state !== 'pending';
  return (
    // A named region, so assistive technology (and the browser test) can find the card.
    <section aria-label="AKS environment">
      <InfoCard title="AKS environment">
        <Row label="State">
          <ClusterStateStatus state={cluster.state} />
          {cluster.pullRequestUrl && (
            <>
              {' '}
              <Link to={cluster.pullRequestUrl}>Pull request</Link>
            </>
          )}
          <Typography variant="body2" color="textSecondary">
            {stateDescription(cluster.state)}
          </Typography>
        </Row>
        <Row label="Environment">{cluster.environment ?? NONE}</Row>
        <Row label="Region">{cluster.location ?? NONE}</Row>
        <Row label="Kubernetes version">
          {cluster.kubernetesVersion ??
            (cluster.mode === 'existing' ? 'as installed (onboarded)' : NONE)}
        </Row>
        <Row label="Node pools">
          {cluster.nodePool
            ? nodePoolText(cluster.nodePool)
            : (cluster.mode === 'existing' && 'as installed (onboarded)') ||
              NONE}
        </Row>
        <Row label="Add-ons">
          <div>On: {on.length > 0 ? on.join(', ') : 'none'}</div>
          <div>Off: {off.length > 0 ? off.join(', ') : 'none'}</div>
        </Row>
        <Row label="Workloads">
          {cluster.workloads.length > 0 ? cluster.workloads.join(', ') : 'none'}
        </Row>
        <Row label="GitOps folder">
          {cluster.gitopsFolder?.url ? (
            <Link to={cluster.gitopsFolder.url}>
              {cluster.gitopsFolder.path}
            </Link>
          ) : (
            (cluster.gitopsFolder?.path ?? NONE)
          )}
        </Row>
        <Row label="Management cluster">
          {cluster.managementCluster ? (
            <EntityRefLink entityRef={cluster.managementCluster} />
          ) : (
            'none (this cluster runs the others, or it is not known)'
          )}
        </Row>
        {actionable && (changeUrl || decommissionUrl) && (
          <Box display="flex" pt={1} style={{ gap: 24 }}>
            {changeUrl && <Link to={changeUrl}>Change this environment</Link>}
            {decommissionUrl && (
              <Link to={decommissionUrl}>Decommission this environment</Link>
            )}
          </Box>
        )}
      </InfoCard>
    </section>
  );
}

/** The "AKS environment" card of the current entity page. */
export function AksEnvironmentCard() {
  const { entity } = useEntity();
  const template = useRouteRef(templateRouteRef);
  const cluster = readCluster(entity);
  const link = (templateName: string) =>
    template
      ? withCluster(
          template({ namespace: 'default', templateName }),
          cluster.entityRef,
        )
      : undefined;
  const changeUrl = link(TEMPLATES.changeEnvironment);
  const decommissionUrl = link(TEMPLATES.decommissionEnvironment);
  return (
    <AksEnvironmentCardView
      cluster={cluster}
      {...(changeUrl ? { changeUrl } : {})}
      {...(decommissionUrl ? { decommissionUrl } : {})}
    />
  );
}
