# codec.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'codec.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_codec = resolve('codec')
    try:
        t_1 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    pass
    yield str((undefined(name='header') if l_0_header is missing else l_0_header))
    yield '\n"""'
    yield str(t_1(environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'doc'), 0))
    yield '"""\n\nfrom __future__ import annotations\n\nfrom . import models, validators\n'
    if environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'wire_imports'):
        pass
        yield 'from ._wire import '
        yield str(environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'wire_imports'))
        yield '\n'
    yield '\n__all__ = [\n'
    for l_1_name in environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'exports'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(l_1_name)
        yield ',\n'
    l_1_name = missing
    yield ']\n'
    l_1_loop = missing
    for l_1_e, l_1_loop in LoopContext(environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'encoders'), undefined):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(environment.getitem(environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'encoder_signatures'), environment.getattr(l_1_loop, 'index0')))
        yield '\n    """'
        yield str(t_1(environment.getattr(l_1_e, 'doc'), 4))
        yield '"""\n'
        for l_2_line in environment.getattr(l_1_e, 'lines'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(l_2_line)
            yield '\n'
        l_2_line = missing
        yield '    return payload\n'
    l_1_loop = l_1_e = missing
    for (l_1_signature, l_1_line, l_1_doc) in environment.getattr((undefined(name='codec') if l_0_codec is missing else l_0_codec), 'decoders'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(l_1_signature)
        yield '\n    """'
        yield str(t_1(l_1_doc, 4))
        yield '"""\n    '
        yield str(l_1_line)
        yield '\n'
    l_1_signature = l_1_line = l_1_doc = missing

blocks = {}
debug_info = '1=19&2=21&7=23&8=26&12=29&13=33&16=38&19=42&20=44&21=46&22=50&26=55&29=59&30=61&31=63'
