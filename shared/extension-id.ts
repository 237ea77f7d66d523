// The client extension's identity. The manifest carries the public key (base64 SPKI DER of an
// RSA-2048 key; no private key is needed to load it unpacked), which fixes the Chrome extension ID:
// the first 32 hex digits of sha256(DER), 0-f mapped to a-p. The hub allows this Origin.
export const EXTENSION_PUBLIC_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsyN4u5bopk2Nxl5Ol27DejK5ejBj4Ck9Q1RL/rLasO8RuR77Igf06vqffFNUkeLA7GpR0/fUdCNeuXLc9/ccuHimJ7u3Feq/neLlMEPduFFrJTNwy3IaxRdbsZwBJBgrbotISqcS2sci7/gDIlvS9YETvqBsU5fnVZ5JPAoPHyIgUp1lXpYaA/4LNTFZcqUR5G4JL5HxDfl+UjatZONqI265iDmWhn1P7XbClPoC7iP/GIZZcqH/bmR2QfR+MkacPzfJ3D6SO6fJcB2EPe5/A03lqhnYBGNLgkS/JjXdjcS71IPL7s3DrkUCvUZgosxpUiVe/wS63vpZd3CfT2pNWwIDAQAB";

export const EXTENSION_ID = "gemoagmjadfmmikgdackfaemdplgjkgk";

export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

// Firefox: the add-on's fixed id (manifest browser_specific_settings.gecko.id). Its origin is
// moz-extension://<uuid>, a UUID Firefox draws per install unless the profile pins it
// (pref `extensions.webextensions.uuids`, e.g. by enterprise policy): that origin goes in ALLOWED_ORIGINS.
export const GECKO_ID = "client@shiming.local";
