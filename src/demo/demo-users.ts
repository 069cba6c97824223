// The demo's people: agents with their passwords (printed in the README: demo mode is for trying out only).
export const DEMO_USERS = [
  { userName: 'adm0', password: 'Adm0', fullName: 'Ada Admin', isAdmin: true, groupName: 'Administration', present: true },
  { userName: 'tje0', password: 'Tje0', fullName: 'Tor Jensen', isAdmin: false, groupName: 'Support', present: true },
  { userName: 'ann1', password: 'Ann1', fullName: 'Anne Berg', isAdmin: false, groupName: 'Support', present: true },
  { userName: 'ola2', password: 'Ola2', fullName: 'Ola Nordmann', isAdmin: false, groupName: 'Sales', present: false },
  { userName: 'sve3', password: 'Sve3', fullName: 'Sven Svensson', isAdmin: false, groupName: 'Support', present: true },
  { userName: 'deu4', password: 'Deu4', fullName: 'Dieter Deutsch', isAdmin: false, groupName: 'Sales', present: false },
] as const;
