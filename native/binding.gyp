{
  # One file per kernel area under src/, each registering its exports from
  # addon.cc's Init. Add a new area by adding its .cc here and one line there.
  'targets': [
    {
      'target_name': 'k3os',
      'sources': [
        'src/addon.cc',
        'src/errors.cc',
        'src/mount.cc',
        'src/power.cc',
        'src/module.cc',
        'src/fd.cc',
        'src/spawn.cc',
        'src/reaper.cc',
        'src/datagram_reader.cc',
        'src/netlink.cc',
        'src/packet.cc',
        'src/clock.cc',
        'src/ioport.cc',
      ],
      'include_dirs': ['../node_modules/node-addon-api'],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_DEPRECATED'],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions', '-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=gnu++17', '-fexceptions', '-Wall', '-Wextra', '-Werror'],
    },
  ],
}
