/** Shapes of the auth and friends REST contract (docs/api/auth.md). */

/** Your own account: only ever from /me, login, register, refresh and password change. */
export interface User {
  id: string;
  email: string;
  username: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

/** Anyone else. */
export interface PublicUser {
  id: string;
  username: string;
}

/** The answer of register, login, refresh and password change. */
export interface SessionResponse {
  accessToken: string;
  tokenType?: string;
  /** Seconds the access token is valid for. */
  expiresIn: number;
  user: User;
}
