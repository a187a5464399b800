# server.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'server.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_server_doc = resolve('server_doc')
    l_0_sockets = resolve('sockets')
    l_0_printed = missing
    try:
        t_1 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    try:
        t_2 = environment.filters['pystr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'pystr' found.")
    pass
    yield str((undefined(name='header') if l_0_header is missing else l_0_header))
    yield '\n"""'
    yield str(t_1((undefined(name='server_doc') if l_0_server_doc is missing else l_0_server_doc), 0))
    yield '"""\n\nfrom __future__ import annotations\n\nimport re\nfrom typing import Any, ClassVar, Protocol\n\nfrom websockets.asyncio.server import Server as _Server\n\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'server_validators'):
        pass
        yield 'from . import validators\n'
    yield 'from ._ws_server import Connection\nfrom ._ws_server import Hooks as _Hooks\nfrom ._ws_server import Route as _Route\nfrom ._ws_server import serve as _serve\nfrom .models import (\n'
    for l_1_name in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'server_imports'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(l_1_name)
        yield ',\n'
    l_1_name = missing
    yield ')\n\n__all__ = [\n'
    for l_1_name in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'server_exports'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n'
    for l_1_view in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'channels'):
        l_1_printed = l_0_printed
        _loop_vars = {}
        pass
        l_1_printed = environment.getattr(l_1_view, 'printed_connection')
        _loop_vars['printed'] = l_1_printed
        yield '\n\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'head'))
        yield '\n    """'
        yield str(t_1(environment.getattr(l_1_view, 'connection_doc')))
        yield '"""\n\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'address'))
        yield '\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'dispatch'))
        yield '\n'
        if environment.getattr(l_1_view, 'send_alias'):
            pass
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'parse'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'parse_call'))
            yield '\n'
        for (l_2_head, l_2_call, l_2_s) in environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'receives'):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(l_2_head)
            yield '\n        """'
            yield str(t_1(environment.getattr(l_2_s, 'doc'), 8))
            yield '"""\n'
            yield str(l_2_call)
            yield '\n'
        l_2_head = l_2_call = l_2_s = missing
    l_1_view = l_1_printed = missing
    l_0_printed = environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'printed_server')
    context.vars['printed'] = l_0_printed
    context.exported_vars.add('printed')
    yield '\n\nclass Handler(Protocol):\n    """What a server does with what clients send: one `on_<message>` per message. Any object with the methods it needs will do (missing ones ignore their messages); subclass `Handler` to have their signatures checked."""\n\n'
    yield str(environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'on_open'))
    yield '\n        """A client connected (its handshake is in `conn`); close it here to refuse it."""\n        return\n\n'
    yield str(environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'on_close'))
    yield '\n        """The connection is over."""\n        return\n\n'
    yield str(environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'on_invalid_frame'))
    yield '\n        """A frame that is none of the channel\'s messages. By default the connection is closed\n        with 1007 (invalid frame payload data) and the problem as reason."""\n        await conn.close(1007, f"invalid frame: {error}")\n'
    for (l_1_head, l_1_method) in environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'handler_methods'):
        _loop_vars = {}
        pass
        yield '\n'
        yield str(l_1_head)
        yield '\n        """'
        yield str(t_1(environment.getattr(l_1_method, 'doc'), 8))
        yield '"""\n        return\n'
    l_1_head = l_1_method = missing
    yield '\n\n'
    yield str(environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'channels'))
    yield '\n'
    yield str(environment.getattr((undefined(name='printed') if l_0_printed is missing else l_0_printed), 'hooks'))
    yield '\n\n\ndef serve(\n    handler: object,\n    host: str | None = None,\n    port: int | None = None,\n    *,\n    validate: bool = True,\n    **kwargs: Any,\n) -> _Server:\n    """Serve the document\'s channels with `handler`; other paths get HTTP 404.\n\n    Returns the `websockets` server: `async with serve(...) as server:` or `await serve(...)`.\n    `validate` checks every message the server sends against its schema; more keyword\n    arguments go to `websockets.asyncio.server.serve` (a `process_request` of yours runs after\n    the path check).\n    """\n    return _serve(\n        _CHANNELS, handler, host, port, hooks=_HOOKS, validate=validate, **kwargs\n    )\n'

blocks = {}
debug_info = '1=27&2=29&11=31&19=35&20=39&25=43&26=47&29=51&30=55&33=58&34=60&36=62&37=64&38=66&40=69&41=71&43=73&45=77&46=79&47=81&50=85&56=89&60=91&64=93&68=95&70=99&71=101&76=105&77=107'
