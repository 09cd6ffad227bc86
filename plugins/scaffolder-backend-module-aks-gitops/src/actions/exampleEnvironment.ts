import { exampleEnvironmentRequest } from '@aks-gitops/plugin-aks-gitops-common';

/** The environment request the action examples use: the lab's dev cluster. */
export const exampleEnvironment = exampleEnvironmentRequest();
