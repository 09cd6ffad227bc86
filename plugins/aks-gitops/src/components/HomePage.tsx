import { Content, InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { fleetRouteRef, templateRouteRef } from '../routes';
import { TEMPLATES } from '../templates';

/** The root page: where the fleet is, and how to add to it. */
export function HomePage() {
  const fleet = useRouteRef(fleetRouteRef);
  const template = useRouteRef(templateRouteRef);
  const templateLink = (templateName: string, title: string) =>
    template ? (
      <Link to={template({ namespace: 'default', templateName })}>{title}</Link>
    ) : (
      title
    );
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title="The fleet">
            <Typography variant="body1" paragraph>
              Every AKS cluster of the GitOps repository: its environment,
              region, version, state and add-ons.
            </Typography>
            {fleet && <Link to={fleet()}>Open the AKS fleet</Link>}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Add an environment">
            <Typography variant="body1" paragraph>
              Each form opens a pull request for the platform team; the cluster
              shows as pending in the fleet until it is merged.
            </Typography>
            <Typography variant="body1">
              {templateLink(TEMPLATES.newEnvironment, 'New AKS environment')}
            </Typography>
            <Typography variant="body1">
              {templateLink(
                TEMPLATES.onboardCluster,
                'Onboard an existing AKS cluster',
              )}
            </Typography>
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
