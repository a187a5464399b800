# client.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'client.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_client_doc = resolve('client_doc')
    l_0_sockets = resolve('sockets')
    l_0_tables = l_0_send_method = missing
    try:
        t_1 = environment.filters['comment']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'comment' found.")
    try:
        t_2 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    try:
        t_3 = environment.filters['pystr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'pystr' found.")
    pass
    yield str((undefined(name='header') if l_0_header is missing else l_0_header))
    yield '\n"""'
    yield str(t_2((undefined(name='client_doc') if l_0_client_doc is missing else l_0_client_doc), 0))
    yield '"""\n\nfrom __future__ import annotations\n\nfrom collections.abc import '
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'streams'):
        pass
        yield 'AsyncIterable, Iterable, '
    yield 'Mapping\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'attrgetter'):
        pass
        yield 'from operator import attrgetter\n'
    yield 'from typing import Any, ClassVar, Literal'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'never'):
        pass
        yield ', Never'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'overload'):
        pass
        yield ', overload'
    yield '\n\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'validators'):
        pass
        yield 'from . import validators\n'
    if environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'channels'):
        pass
        yield 'from ._ws_blocking import BlockingChannel as _BlockingChannel\n'
    yield 'from ._ws_blocking import BlockingClientBase as _BlockingClientBase\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'contexts'):
        pass
        yield 'from ._ws_blocking import BlockingContext as _BlockingContext\n'
    yield 'from ._ws_client import AsyncClientBase as _AsyncClientBase\n'
    if environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'channels'):
        pass
        yield 'from ._ws_client import Channel as _Channel\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'contexts'):
        pass
        yield 'from ._ws_client import Context as _Context\n'
    if environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'channels'):
        pass
        yield 'from ._ws_client import Opening as _Opening\n'
    yield 'from ._ws_core import ClientBase as _ClientBase\nfrom ._ws_core import (\n    ClientError,\n    ConnectionClosed,\n    ConversationEnded,\n    InvalidFrame,\n    UnknownFrame,\n)\nfrom ._ws_core import Handshake as _Handshake\n'
    if environment.getattr(environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'uses'), 'routes'):
        pass
        yield 'from ._ws_core import KeyPaths as _KeyPaths\nfrom ._ws_core import Routes as _Routes\n'
    if environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'model_imports'):
        pass
        yield 'from .models import (\n'
        for l_1_name in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'model_imports'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(l_1_name)
            yield ',\n'
        l_1_name = missing
        yield ')\n'
    yield '\n__all__ = [\n'
    for l_1_name in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'exports'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_3(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n\n\nclass _ClientTables(_ClientBase):\n    """The document\'s servers, the credentials each accepts, the values every socket carries."""\n\n'
    l_0_tables = environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'printed_client')
    context.vars['tables'] = l_0_tables
    context.exported_vars.add('tables')
    yield str(environment.getattr((undefined(name='tables') if l_0_tables is missing else l_0_tables), 'servers'))
    yield '\n'
    yield str(environment.getattr((undefined(name='tables') if l_0_tables is missing else l_0_tables), 'security'))
    yield '\n'
    yield str(environment.getattr((undefined(name='tables') if l_0_tables is missing else l_0_tables), 'handshake'))
    yield '\n'
    def macro(l_1_s, l_1_printed):
        t_4 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        if l_1_printed is missing:
            l_1_printed = undefined("parameter 'printed' was not provided", name='printed')
        pass
        if environment.getattr(l_1_s, 'kwargs'):
            pass
            t_4.extend((
                '\n    @overload\n',
                str(environment.getattr(l_1_printed, 'overload_message')),
                '\n\n    @overload\n',
                str(environment.getattr(l_1_printed, 'overload_fields')),
                '\n\n',
                str(environment.getattr(l_1_printed, 'head')),
                '\n        """',
                str(t_2(environment.getattr(l_1_s, 'doc'), 8, part=True)),
                '\n\n        Pass a `',
                str(environment.getattr(l_1_s, 'cls')),
                '` or its fields as keyword arguments.\n        """\n',
            ))
        else:
            pass
            t_4.extend((
                '\n',
                str(environment.getattr(l_1_printed, 'head')),
                '\n        """',
                str(t_2(environment.getattr(l_1_s, 'doc'), 8)),
                '"""\n',
            ))
        t_4.extend((
            str(environment.getattr(l_1_printed, 'body')),
            '\n',
        ))
        return concat(t_4)
    context.exported_vars.add('send_method')
    context.vars['send_method'] = l_0_send_method = Macro(environment, macro, 'send_method', ('s', 'printed'), False, False, False, context.eval_ctx.autoescape)
    for l_1_view in environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'channels'):
        _loop_vars = {}
        pass
        yield '\n\n# ---------------------------------------------------------------------------------------------\n# '
        yield str(t_1(environment.getattr(l_1_view, 'url')))
        yield '\n'
        for l_2_mode in ('async', 'sync'):
            l_2_printed = missing
            _loop_vars = {}
            pass
            l_2_printed = context.call(environment.getattr(l_1_view, 'printed_client'), l_2_mode, _loop_vars=_loop_vars)
            _loop_vars['printed'] = l_2_printed
            if environment.getattr(l_1_view, 'has_context'):
                pass
                yield '\n\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'context_head'))
                yield '\n    """'
                yield str(t_2(environment.getattr(l_1_view, 'context_doc')))
                yield '"""\n\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'context_id'))
                yield '\n'
                for (l_3_s, l_3_sent) in environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'context_sends'):
                    _loop_vars = {}
                    pass
                    yield str(context.call((undefined(name='send_method') if l_0_send_method is missing else l_0_send_method), l_3_s, l_3_sent, _loop_vars=_loop_vars))
                l_3_s = l_3_sent = missing
                if environment.getattr(l_1_view, 'cancel'):
                    pass
                    yield '\n'
                    yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'cancel_head'))
                    yield '\n        """'
                    yield str(t_2(environment.getattr(l_1_view, 'cancel_doc'), 8))
                    yield '"""\n        self.close()\n'
                    yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'cancel_call'))
                    yield '\n'
            yield '\n\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'head'))
            yield '\n    """'
            yield str(t_2(environment.getattr(l_1_view, 'doc')))
            yield '"""\n\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'address'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'attribute'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'handshake'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'servers'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'needs_open'))
            yield '\n'
            if environment.getattr(l_1_view, 'routes'):
                pass
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'routes'))
                yield '\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'key_paths'))
                yield '\n'
            if environment.getattr(l_1_view, 'recv_alias'):
                pass
                yield '\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'parse'))
                yield '\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'parse_call'))
                yield '\n'
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'open_head'))
            yield '\n        """'
            yield str(t_2(environment.getattr(l_1_view, 'open_doc'), 8))
            yield '"""\n'
            yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'open_body'))
            yield '\n'
            if environment.getattr(l_1_view, 'has_context'):
                pass
                yield '\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'context_method'))
                yield '\n        """'
                yield str(t_2(environment.getattr(l_1_view, 'context_method_doc'), 8))
                yield '"""\n'
                yield str(environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'context_call'))
                yield '\n'
            for (l_3_s, l_3_sent, l_3_stream_head) in environment.getattr((undefined(name='printed') if l_2_printed is missing else l_2_printed), 'sends'):
                _loop_vars = {}
                pass
                yield str(context.call((undefined(name='send_method') if l_0_send_method is missing else l_0_send_method), l_3_s, l_3_sent, _loop_vars=_loop_vars))
                if environment.getattr(l_3_s, 'stream_method'):
                    pass
                    yield '\n'
                    yield str(l_3_stream_head)
                    yield '\n        """Send `'
                    yield str(t_2(environment.getattr(environment.getattr(l_3_s, 'message'), 'key'), 8))
                    yield '` once per chunk, one binary frame each, in order, as `chunks` yields them (a streaming upload)."""\n        '
                    yield str(('await ' if (l_2_mode == 'async') else ''))
                    yield 'self._send_stream(chunks)\n'
            l_3_s = l_3_sent = l_3_stream_head = missing
        l_2_mode = l_2_printed = missing
    l_1_view = missing
    yield '\n\n# ---------------------------------------------------------------------------------------------\n# clients\n'
    for l_1_client in environment.getattr((undefined(name='tables') if l_0_tables is missing else l_0_tables), 'clients'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(environment.getattr(l_1_client, 'head'))
        yield '\n    """'
        yield str(t_2((environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'blocking_client_doc') if environment.getattr(l_1_client, 'blocking') else environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'client_doc'))))
        yield '"""\n\n'
        yield str(environment.getattr(l_1_client, 'channels'))
        yield '\n'
        if environment.getattr(l_1_client, 'attributes'):
            pass
            yield str(environment.getattr(l_1_client, 'attributes'))
            yield '\n'
        yield '\n    @classmethod\n'
        yield str(environment.getattr(l_1_client, 'connect_head'))
        yield '\n        """'
        yield str(t_2((environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'blocking_connect_doc') if environment.getattr(l_1_client, 'blocking') else environment.getattr((undefined(name='sockets') if l_0_sockets is missing else l_0_sockets), 'connect_doc')), 8))
        yield '"""\n'
        yield str(environment.getattr(l_1_client, 'connect_call'))
        yield '\n'
    l_1_client = missing

blocks = {}
debug_info = '1=33&2=35&6=37&7=41&10=45&13=52&16=55&20=59&24=63&27=66&30=69&42=73&46=76&48=79&49=83&55=88&56=92&64=96&65=99&66=101&67=103&68=105&69=112&72=116&75=118&77=120&78=122&80=124&84=131&85=133&87=137&89=143&93=147&94=149&95=153&96=155&99=158&100=160&102=162&103=164&104=167&106=169&108=172&109=174&111=176&116=179&117=181&119=183&120=185&121=187&122=189&123=191&124=193&125=195&126=197&128=199&130=202&131=204&134=207&135=209&136=211&137=213&139=216&140=218&141=220&143=222&144=225&145=226&147=229&148=231&149=233&158=239&161=243&162=245&164=247&165=249&166=251&170=254&171=256&172=258'
