import { createContext, useContext } from 'react';

const NonceContext = createContext('');
export const NonceProvider = NonceContext.Provider;
/** The per-request nonce that lets our own inline scripts run under the CSP. */
export const useNonce = () => useContext(NonceContext);
