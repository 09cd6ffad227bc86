import { exampleEnvironmentRequest } from '@aks-gitops/render';

/** The environment request the action examples use: the lab's dev cluster. */
export const exampleEnvironment = exampleEnvironmentRequest();
