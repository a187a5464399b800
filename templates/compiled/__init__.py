"""The built-in templates as the Python code Jinja compiles them to (see `render`):
written by `python scripts/compile_templates.py`; do not edit."""

# template -> (SHA-256 of the text it was compiled from, the Jinja version that did)
SOURCES = {
    'README.md.jinja': ('d00508326f93e0a06d12a6bc760233cafa538fe5511f0acf264da4e3744879bb', '3.1.6'),
    '__init__.py.jinja': ('75a6b6116a4f07d5b1719b25d606da6096165d35520d195e882e1486b8dbe188', '3.1.6'),
    'broker_client.py.jinja': ('f55bdd3e23fd4e66790f9bb6eb46d50becbb024ccbfa30f82e9d3118e9bd3403', '3.1.6'),
    'client.py.jinja': ('d8f1d41304782b74bdbd13de1517e9369d87163c8cd4eac67ef8279fa3455658', '3.1.6'),
    'codec.py.jinja': ('4834d577ad0a3a79916f87c4f53179629978e63dfa6bf23677fc7f3144d8bbb3', '3.1.6'),
    'models.py.jinja': ('aa99763cdd420d13fe8bb17ad8d48ba939756081d1a53b9b97897f541c51be69', '3.1.6'),
    'server.py.jinja': ('a85f5bdea2f9ac336018772bd8accc667a95266582abed34c25c960cfb1721b8', '3.1.6'),
}
