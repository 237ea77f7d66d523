// The one door to @peculiar/x509: the Reflect shim must run before it loads, and in Node it needs
// WebCrypto handed to it.
import "./reflect-shim";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
