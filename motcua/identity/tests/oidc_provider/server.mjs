// A real OpenID Connect provider (npm oidc-provider) standing in for VNeID / the national portal in tests.
// Loopback only. Any login is accepted by the development interactions; the login is the citizen's ID number
// and the claims come from CITIZENS below (Vietnamese claim names, as the national providers use).
// The login may end in ":<acr>" to choose the level the provider vouches for ("075090001234:LoA1"), or ":none" for
// no `acr` at all; without it the account is level 2 ("LoA2").
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const host = '127.0.0.1';
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);

const CITIZENS = {
  '075090001234': { HoVaTen: 'Nguyễn Văn An', NgaySinh: '1990-05-12', SoDienThoai: '0912345678', email: 'an@example.vn' },
  '075195004321': { HoVaTen: 'Trần Thị Bình', NgaySinh: '1995-02-03', SoDienThoai: '0987654321', email: 'binh@example.vn' },
  '001099012345': { HoVaTen: 'Lê Minh Châu', NgaySinh: '1999-09-09', SoDienThoai: '0901234567', email: 'chau@example.vn' },
};

const configuration = {
  clients: [{
    client_id: 'motcua',
    client_secret: 'motcua-test-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  acrValues: ['LoA1', 'LoA2'],
  claims: {
    openid: ['sub'],
    profile: ['HoVaTen', 'NgaySinh', 'SoDinhDanh', 'name'],
    phone: ['SoDienThoai'],
    email: ['email'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const person = CITIZENS[id] || { HoVaTen: `Công dân ${id}` };
    return {
      accountId: id,
      async claims() {
        return { sub: id, SoDinhDanh: id, name: person.HoVaTen, ...person };
      },
    };
  },
};

const provider = new Provider(`http://${host}:${port}`, configuration);
const finish = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
  if (result?.login?.accountId) {
    const [accountId, acr = 'LoA2'] = String(result.login.accountId).split(':');
    result.login = { ...result.login, accountId, ...(acr === 'none' ? {} : { acr }) };
  }
  return finish(req, res, result, options);
};
const server = provider.listen(port, host, () => {
  const { port: actual } = server.address();
  // The test reads this line to learn the port when PORT=0.
  console.log(`READY http://${host}:${actual}`);
});
