import type { RouteObject } from 'react-router';

import { RootLayout } from '@/app/root-layout';
import { FriendsRoute } from '@/app/routes/friends';
import { HomeRoute } from '@/app/routes/home';
import { LoginRoute } from '@/app/routes/login';
import { NotFoundRoute } from '@/app/routes/not-found';
import { ProfileRoute } from '@/app/routes/profile';
import { RegisterRoute } from '@/app/routes/register';
import { RoomRoute } from '@/app/routes/room';
import { RouteError } from '@/app/routes/route-error';

/**
 * Every page of the app. `/r/:code` is the invite link format of DESIGN.md §2. `/profile` and
 * `/friends` need a session (RequireAuth sends others to `/login?next=…`).
 */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'login', element: <LoginRoute /> },
      { path: 'register', element: <RegisterRoute /> },
      { path: 'profile', element: <ProfileRoute /> },
      { path: 'friends', element: <FriendsRoute /> },
      { path: 'r/:code', element: <RoomRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
