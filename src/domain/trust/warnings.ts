// What a trust policy allows that its author may not mean, whatever the caller evaluated: today,
// an Allow for Principal "*", which any principal of any AWS account can then use. Only its
// conditions (if any) stand in the way, and an External ID alone is not a secret.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous

export interface PolicyWarning {
  code: 'PRINCIPAL_ANYONE';
  /** 1-based, as the text output numbers statements. */
  statement: number;
  message: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Principal "*", {"AWS": "*"} or a list holding "*". */
function trustsAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  const aws = principal.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function conditionKeys(condition: unknown): string[] {
  if (!isObject(condition)) return [];
  return Object.values(condition).flatMap((byKey) => (isObject(byKey) ? Object.keys(byKey) : []));
}

export function policyWarnings(policy: unknown): PolicyWarning[] {
  if (!isObject(policy)) return [];
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.flatMap((statement, index): PolicyWarning[] => {
    if (!isObject(statement) || statement.Effect !== 'Allow' || !trustsAnyone(statement.Principal)) return [];
    const keys = conditionKeys(statement.Condition);
    const where = `Statement ${index + 1}${typeof statement.Sid === 'string' ? ` "${statement.Sid}"` : ''}`;
    const message =
      keys.length === 0
        ? `${where} allows Principal "*" with no condition: anyone with an AWS account can assume this role.`
        : `${where} allows Principal "*": any principal of any AWS account can assume this role if it meets the conditions (${keys.join(', ')}). Name the scanner's account in Principal instead.`;
    return [{ code: 'PRINCIPAL_ANYONE', statement: index + 1, message }];
  });
}
