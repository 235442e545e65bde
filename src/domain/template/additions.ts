// The inline "additions" policy: read-only actions the scanner's checks call that neither
// SecurityAudit nor job-function/ViewOnlyAccess grants. Every action carries the reason it is here,
// so a reviewer can challenge each line; nothing that writes, deletes or reads secret values.
// Source of the list: Prowler's prowler-scan-role template and the checks named below.

export interface AdditionAction {
  action: string;
  reason: string;
  /** The action returns data, not only configuration: what, in the words step 2 shows. */
  readsData?: string;
}

export const ADDITION_ACTIONS: readonly AdditionAction[] = [
  {
    action: 'account:Get*',
    reason:
      'account_maintain_current_contact_details and the security/billing alternate-contact checks read account contacts.',
  },
  {
    action: 'appstream:Describe*',
    reason: 'appstream_fleet_* checks read fleet settings (default internet access, session timeouts).',
  },
  { action: 'appstream:List*', reason: 'AppStream checks list fleets and their associated stacks.' },
  {
    action: 'backup:Get*',
    reason: 'backup_vaults_encrypted and backup_plans_exist read vault and plan details.',
  },
  { action: 'backup:List*', reason: 'backup_* checks enumerate vaults, plans and reportplans.' },
  {
    action: 'bedrock:Get*',
    reason: 'bedrock_model_invocation_logging_enabled and guardrail checks read their configuration.',
  },
  { action: 'bedrock:List*', reason: 'Bedrock checks enumerate guardrails and agents.' },
  {
    action: 'cloudtrail:GetInsightSelectors',
    reason: 'cloudtrail_insights_exist reads whether CloudTrail Insights is on.',
  },
  {
    action: 'codeartifact:List*',
    reason: 'codeartifact_packages_external_public_publishing_disabled lists repositories and packages.',
  },
  {
    action: 'codebuild:BatchGet*',
    reason:
      'codebuild_project_* checks read project definitions (environment variables in plaintext, source).',
  },
  {
    action: 'codebuild:ListReportGroups',
    reason: 'codebuild_report_group_export_encrypted enumerates report groups.',
  },
  {
    action: 'cognito-idp:GetUserPoolMfaConfig',
    reason: 'cognito_user_pool_mfa_enabled reads the pool MFA setting.',
  },
  { action: 'dlm:Get*', reason: 'ec2_ebs_snapshot lifecycle checks read Data Lifecycle Manager policies.' },
  { action: 'drs:Describe*', reason: 'drs_job_exist reads Elastic Disaster Recovery jobs.' },
  {
    action: 'ds:Describe*',
    reason: 'directoryservice_* checks read directory settings (log forwarding, snapshots limits).',
  },
  { action: 'ds:Get*', reason: 'directoryservice_radius_server_security_protocol reads RADIUS settings.' },
  {
    action: 'ds:List*',
    reason: 'directoryservice_directory_log_forwarding_enabled lists log subscriptions.',
  },
  {
    action: 'dynamodb:GetResourcePolicy',
    reason: 'dynamodb_table_cross_account_access reads table resource policies.',
  },
  {
    action: 'ec2:GetEbsEncryptionByDefault',
    reason: 'ec2_ebs_default_encryption reads the account-level EBS default.',
  },
  {
    action: 'ec2:GetInstanceMetadataDefaults',
    reason: 'ec2_instance_account_imdsv2_enabled reads the account IMDS defaults.',
  },
  {
    action: 'ec2:GetSnapshotBlockPublicAccessState',
    reason: 'ec2_ebs_snapshot_account_block_public_access reads the block-public-access state.',
  },
  {
    action: 'ecr:Describe*',
    reason: 'ecr_repositories_scan_* checks read image scan findings and repository settings.',
  },
  {
    action: 'ecr:GetRegistryScanningConfiguration',
    reason: 'ecr_registry_scan_images_on_push_enabled reads the registry scanning configuration.',
  },
  {
    action: 'elasticfilesystem:DescribeBackupPolicy',
    reason: 'efs_have_backup_enabled reads each file system backup policy.',
  },
  {
    action: 'glue:GetConnections',
    reason: 'glue_database_connections_ssl_enabled reads connection properties.',
  },
  {
    action: 'glue:GetSecurityConfiguration*',
    reason: 'glue_*_encryption_enabled checks read security configurations.',
  },
  {
    action: 'glue:SearchTables',
    reason: 'glue_data_catalogs_metadata_encryption_enabled enumerates catalog tables.',
  },
  {
    action: 'lambda:GetFunction*',
    reason:
      'awslambda_function_no_secrets_in_code and _in_variables read function configuration and code location.',
    // GetFunction answers with a presigned link to the deployment package: the code itself.
    // https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
    readsData: 'the code of your Lambda functions (GetFunction returns a link to download it)',
  },
  {
    action: 'lightsail:GetRelationalDatabases',
    reason: 'lightsail_database_public reads Lightsail database exposure.',
  },
  {
    action: 'logs:FilterLogEvents',
    reason: 'cloudwatch_log_group_no_secrets_in_logs samples log events for leaked secrets.',
    // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
    readsData: 'the events in your CloudWatch log groups',
  },
  {
    action: 'macie2:GetAutomatedDiscoveryConfiguration',
    reason: 'macie_automated_sensitive_data_discovery_enabled reads the discovery setting.',
  },
  { action: 'macie2:GetMacieSession', reason: 'macie_is_enabled reads whether Macie is on in each region.' },
  {
    action: 's3:GetAccountPublicAccessBlock',
    reason: 's3_account_level_public_access_blocks reads the account-level block.',
  },
  {
    action: 'servicecatalog:Describe*',
    reason: 'servicecatalog_portfolio_shared_within_organization_only reads portfolio shares.',
  },
  { action: 'servicecatalog:List*', reason: 'Service Catalog checks enumerate portfolios and their shares.' },
  {
    action: 'shield:DescribeProtection',
    reason: 'shield_advanced_protection_in_* checks read Shield Advanced protections.',
  },
  {
    action: 'shield:GetSubscriptionState',
    reason: 'Shield checks first read whether Shield Advanced is subscribed.',
  },
  {
    action: 'ssm:GetDocument',
    reason: 'ssm_documents_secrets reads SSM documents to look for embedded secrets.',
  },
  {
    action: 'ssm-incidents:List*',
    reason: 'ssmincidents_enabled_with_plans lists response plans and replication sets.',
  },
  {
    action: 'states:ListTagsForResource',
    reason: 'Step Functions checks read tags to honour resource exclusions.',
  },
  {
    action: 'support:Describe*',
    reason: 'trustedadvisor_* checks read Trusted Advisor results through the Support API.',
  },
  { action: 'tag:GetTagKeys', reason: 'tag-based scan filters list the tag keys in use.' },
  {
    action: 'wellarchitected:List*',
    reason: 'wellarchitected_workload_no_high_or_medium_risks lists workloads.',
  },
];
