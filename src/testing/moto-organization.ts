import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';

// An organization built in moto_server through its Organizations API (moto's default account,
// 123456789012, is the management account), for the template and discovery tests.

export const MOTO_MANAGEMENT_ACCOUNT = '123456789012';
export const MOTO_KEYS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface OrgShape {
  /** OU name -> parent OU name ('' for the root). Parents first. */
  ous: [name: string, parent: string][];
  /** Account name -> OU name ('' for the root). */
  accounts: [name: string, ou: string][];
  /** Names of accounts to close (moto marks them SUSPENDED at once). */
  closed?: string[];
}

export interface MotoOrganization {
  rootId: string;
  ouIds: Record<string, string>;
  accountIds: Record<string, string>;
}

export async function createMotoOrganization(url: string, shape: OrgShape): Promise<MotoOrganization> {
  const org = new OrganizationsClient({ endpoint: url, region: 'us-east-1', credentials: MOTO_KEYS });
  try {
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? '';
    const ouIds: Record<string, string> = {};
    const parentOf = (name: string) => (name === '' ? rootId : (ouIds[name] ?? ''));
    for (const [name, parent] of shape.ous) {
      const created = await org.send(
        new CreateOrganizationalUnitCommand({ ParentId: parentOf(parent), Name: name }),
      );
      ouIds[name] = created.OrganizationalUnit?.Id ?? '';
    }
    const accountIds: Record<string, string> = {};
    for (const [name, ou] of shape.accounts) {
      const created = await org.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name.toLowerCase()}@example.com` }),
      );
      const id = created.CreateAccountStatus?.AccountId ?? '';
      accountIds[name] = id;
      if (ou !== '') {
        await org.send(
          new MoveAccountCommand({
            AccountId: id,
            SourceParentId: rootId,
            DestinationParentId: parentOf(ou),
          }),
        );
      }
    }
    for (const name of shape.closed ?? []) {
      await org.send(new CloseAccountCommand({ AccountId: accountIds[name] ?? '' }));
    }
    return { rootId, ouIds, accountIds };
  } finally {
    org.destroy();
  }
}
