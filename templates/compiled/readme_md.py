# README.md.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'README.md.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_readme = resolve('readme')
    pass
    yield '# '
    yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'title'))
    yield '\n\n'
    yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'source'))
    yield '\n\n'
    if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'description'):
        pass
        yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'description'))
        yield '\n\n'
    if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'intro'):
        pass
        yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'intro'))
        yield '\n'
    else:
        pass
        yield 'The package needs Python 3.11 and `websockets` (`pip install websockets`); `orjson` and\n`pybase64`, when installed, make JSON and base64 faster. `models.py` holds one dataclass per\nschema and message, `validators.py` their compiled validators, `client.py` the asyncio `Client`\nand the threaded `BlockingClient`, `server.py` a `serve()` stub with a `Handler` protocol.\n'
    yield '\n## Servers\n\n'
    if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'servers'):
        pass
        yield '| name | URL | protocol | description |\n|---|---|---|---|\n'
        for l_1_row in environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'servers'):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_1_row, 'line'))
            yield '\n'
        l_1_row = missing
    else:
        pass
        yield 'The document names no server: give `Client.connect(url=...)`.\n'
    if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'websocket'):
        pass
        yield '\n## Sockets\n\n'
        if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'sockets'):
            pass
            yield 'Each socket is an attribute of the client: one WebSocket connection.\n'
            for l_1_s in environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'sockets'):
                _loop_vars = {}
                pass
                yield '\n### `client.'
                yield str(environment.getattr(l_1_s, 'attr'))
                yield '`\n\nURL: '
                yield str(environment.getattr(l_1_s, 'url'))
                if environment.getattr(l_1_s, 'carries'):
                    pass
                    yield "; carries the document's channels "
                    yield str(environment.getattr(l_1_s, 'carries'))
                yield '.\n\n'
                if environment.getattr(l_1_s, 'description'):
                    pass
                    yield str(environment.getattr(l_1_s, 'description'))
                    yield '\n\n'
                if environment.getattr(l_1_s, 'open_rows'):
                    pass
                    yield '`open(...)` takes:\n\n| argument | type | sent as | required | description |\n|---|---|---|---|---|\n'
                    for l_2_row in environment.getattr(l_1_s, 'open_rows'):
                        _loop_vars = {}
                        pass
                        yield str(environment.getattr(l_2_row, 'line'))
                        yield '\n'
                    l_2_row = missing
                    yield '\n'
                yield 'Sends: '
                yield str(environment.getattr(l_1_s, 'sends'))
                yield '. Receives: '
                yield str(environment.getattr(l_1_s, 'receives'))
                yield '.\n'
            l_1_s = missing
        else:
            pass
            yield 'The document has no channel a WebSocket client can use.\n'
        yield '\n## Connecting\n\n'
        if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'connect_rows'):
            pass
            yield '`Client.connect(...)` (and `BlockingClient.connect(...)`) take the credentials and the handshake\nvalues every socket shares, besides `server=`, `url=`, `validate=`, `max_queue=` and\n`open_timeout=`:\n\n| argument | type | sent as | required | description |\n|---|---|---|---|---|\n'
            for l_1_row in environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'connect_rows'):
                _loop_vars = {}
                pass
                yield str(environment.getattr(l_1_row, 'line'))
                yield '\n'
            l_1_row = missing
        else:
            pass
            yield '`Client.connect(...)` (and `BlockingClient.connect(...)`) take no credentials or shared handshake\nvalues, only `server=`, `url=`, `validate=`, `max_queue=` and `open_timeout=`.\n'
        if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'example'):
            pass
            yield '\n## Example\n\n```python\n'
            yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'example'))
            yield '\n```\n'
    for l_1_b in environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'brokers'):
        _loop_vars = {}
        pass
        yield '\n## '
        yield str(environment.getattr(l_1_b, 'heading'))
        yield '\n\n'
        yield str(environment.getattr(l_1_b, 'connect'))
        yield '\n\n| attribute | address | parameters | methods |\n|---|---|---|---|\n'
        for l_2_row in environment.getattr(l_1_b, 'channels'):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_2_row, 'line'))
            yield '\n'
        l_2_row = missing
        if environment.getattr(l_1_b, 'example'):
            pass
            yield '\n```python\n'
            yield str(environment.getattr(l_1_b, 'example'))
            yield '\n```\n'
    l_1_b = missing
    if environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'codec'):
        pass
        yield '\n## Codec (`codec.py`)\n\nNo client is generated for the servers of other protocols; their payloads are made and read\nwith '
        yield str(environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'codec'))
        yield '.\n'
    yield '\n## Messages\n'
    for l_1_m in environment.getattr((undefined(name='readme') if l_0_readme is missing else l_0_readme), 'messages'):
        _loop_vars = {}
        pass
        yield '\n### '
        yield str(environment.getattr(l_1_m, 'heading'))
        yield '\n\n'
        if environment.getattr(l_1_m, 'description'):
            pass
            yield str(environment.getattr(l_1_m, 'description'))
            yield '\n\n'
        yield str(environment.getattr(l_1_m, 'direction'))
        yield '.\n\n| field | type | required | description |\n|---|---|---|---|\n'
        for l_2_row in environment.getattr(l_1_m, 'rows'):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_2_row, 'line'))
            yield '\n'
        l_2_row = missing
    l_1_m = missing

blocks = {}
debug_info = '1=13&3=15&5=17&6=19&9=21&10=23&20=29&23=32&24=35&29=41&33=44&35=47&37=51&39=53&41=59&42=61&45=63&50=66&51=69&55=74&63=83&70=86&71=89&77=95&82=98&86=100&88=104&90=106&94=108&95=111&97=114&100=117&104=120&109=123&113=126&115=130&117=132&118=134&121=136&125=138&126=141'
