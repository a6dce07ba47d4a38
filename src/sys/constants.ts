// Linux ABI numbers the facade maps names to. They never change; a test
// checks them against the addon's own (from the kernel headers).

export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  REMOUNT: 0x20,
  NOATIME: 0x400,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
} as const;

export const MNT = {
  FORCE: 0x1,
  DETACH: 0x2,
} as const;

export const LINUX_REBOOT_CMD = {
  RESTART: 0x01234567,
  HALT: 0xcdef0123,
  POWER_OFF: 0x4321fedc,
  CAD_ON: 0x89abcdef,
  CAD_OFF: 0x00000000,
} as const;

/** HOST_NAME_MAX */
export const HOST_NAME_MAX = 64;
