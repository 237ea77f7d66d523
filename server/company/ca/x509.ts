// The one door to @peculiar/x509: it resolves its algorithm providers through tsyringe, which needs the
// Reflect metadata API loaded first; in Node it also needs WebCrypto handed to it.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
