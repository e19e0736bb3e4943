import { apiRequest } from '@/lib/api-client';
import type { SessionResponse } from '@/lib/auth-types';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** `POST /api/auth/password`: answers a fresh session for this device; every other session ends. */
export function changePassword(input: ChangePasswordInput): Promise<SessionResponse> {
  return apiRequest<SessionResponse>('/auth/password', { method: 'POST', body: input });
}
