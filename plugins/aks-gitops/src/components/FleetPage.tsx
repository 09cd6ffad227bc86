import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  enabledAddons,
  FLEET_FILTER,
  readCluster,
  type AksCluster,
} from '../clusters';
import { ClusterStateStatus } from './AksEnvironmentCard';

/** The fleet view's filters; undefined is "all". */
export interface FleetFilters {
  environment?: string;
  state?: string;
  owner?: string;
}

type FilterKey = keyof FleetFilters;

const FILTERS: { key: FilterKey; label: string }[] = [
  { key: 'environment', label: 'Environment' },
  { key: 'state', label: 'State' },
  { key: 'owner', label: 'Owner' },
];

/** The clusters that match every filter that is set. */
export function filterFleet(
  clusters: AksCluster[],
  filters: FleetFilters,
): AksCluster[] {
  return clusters.filter(cluster =>
    FILTERS.every(
      ({ key }) => filters[key] === undefined || cluster[key] === filters[key],
    ),
  );
}

/** The values a filter can take in this fleet, sorted. */
function choices(clusters: AksCluster[], key: FilterKey): string[] {
  return [
    ...new Set(
      clusters.flatMap(c => (c[key] === undefined ? [] : [c[key] as string])),
    ),
  ].sort();
}

/** The table's columns: a title and what a cell shows. */
const columns: { title: string; cell: (cluster: AksCluster) => ReactNode }[] = [
  {
    title: 'Name',
    cell: cluster => (
      <EntityRefLink entityRef={cluster.entityRef} title={cluster.name} />
    ),
  },
  { title: 'Environment', cell: cluster => cluster.environment },
  { title: 'Region', cell: cluster => cluster.location },
  { title: 'Kubernetes version', cell: cluster => cluster.kubernetesVersion },
  {
    title: 'State',
    cell: cluster => <ClusterStateStatus state={cluster.state} />,
  },
  {
    title: 'Owner',
    cell: cluster =>
      cluster.owner ? (
        <EntityRefLink entityRef={cluster.owner} defaultKind="group" />
      ) : null,
  },
  { title: 'Add-ons', cell: cluster => enabledAddons(cluster).join(', ') },
];

/** The fleet as a table with its three filters. */
export function FleetTable(props: { clusters: AksCluster[] }) {
  const { clusters } = props;
  const [filters, setFilters] = useState<FleetFilters>({});
  const shown = useMemo(
    () => filterFleet(clusters, filters),
    [clusters, filters],
  );
  return (
    <>
      <Box display="flex" mb={2} style={{ gap: 16 }}>
        {FILTERS.map(({ key, label }) => (
          <TextField
            key={key}
            id={`aks-fleet-filter-${key}`}
            select
            label={label}
            value={filters[key] ?? ''}
            onChange={event => {
              const value = event.target.value;
              setFilters(current => {
                const next = { ...current };
                if (value === '') delete next[key];
                else next[key] = value;
                return next;
              });
            }}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
            style={{ minWidth: 180 }}
          >
            <option value="">All</option>
            {choices(clusters, key).map(choice => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </TextField>
        ))}
      </Box>
      <InfoCard title={`AKS clusters (${shown.length})`} noPadding>
        <Table size="small" aria-label="AKS clusters">
          <TableHead>
            <TableRow>
              {columns.map(column => (
                <TableCell key={column.title}>{column.title}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(cluster => (
              <TableRow key={cluster.entityRef}>
                {columns.map(column => (
                  <TableCell key={column.title}>
                    {column.cell(cluster)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </InfoCard>
    </>
  );
}

/** The fleet view: every cluster of the aks-gitops catalog provider. */
export function FleetPage() {
  const catalogApi = useApi(catalogApiRef);
  const [result, setResult] = useState<
    { clusters: AksCluster[] } | { error: Error } | undefined
  >();
  useEffect(() => {
    let current = true;
    catalogApi.getEntities({ filter: FLEET_FILTER }).then(
      response => {
        if (current)
          setResult({
            clusters: response.items
              .map(readCluster)
              .sort((a, b) => a.name.localeCompare(b.name)),
          });
      },
      (error: Error) => {
        if (current) setResult({ error });
      },
    );
    return () => {
      current = false;
    };
  }, [catalogApi]);
  return (
    <Content>
      {result === undefined && <Progress />}
      {result && 'error' in result && (
        <ResponseErrorPanel error={result.error} />
      )}
      {result && 'clusters' in result && (
        <FleetTable clusters={result.clusters} />
      )}
    </Content>
  );
}
