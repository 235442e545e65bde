import type { RoleProps, Template } from './cfn-template.ts';
import type { PropertyDifference } from './drift.ts';

// A CloudFormation stack as the sandbox keeps it (cloudformation.ts operates on it).

export type StackStatus =
  | 'CREATE_COMPLETE'
  | 'UPDATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'DELETE_COMPLETE';

export interface DriftDetection {
  id: string;
  at: string;
  status: 'IN_SYNC' | 'DRIFTED';
  resources: {
    logicalId: string;
    physicalId: string;
    status: 'IN_SYNC' | 'MODIFIED' | 'DELETED';
    expected: string;
    actual: string;
    differences: PropertyDifference[];
  }[];
}

export interface StackState {
  name: string;
  id: string;
  accountId: string;
  region: string;
  status: StackStatus;
  statusReason?: string;
  template: Template;
  parameters: Record<string, string>;
  capabilities: string[];
  /** The role as the template last rendered it: what an update diffs against and drift compares with. */
  expected: RoleProps | null;
  createdAt: string;
  updatedAt?: string;
  detections: DriftDetection[];
}

export function stackKey(region: string, name: string): string {
  return `${region}/${name}`;
}
