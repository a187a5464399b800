# __init__.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '__init__.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_package_doc = resolve('package_doc')
    l_0_exports = resolve('exports')
    l_0_all_exports = resolve('all_exports')
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
    yield str(t_1((undefined(name='package_doc') if l_0_package_doc is missing else l_0_package_doc), 0))
    yield '"""\n\nfrom .models import (\n'
    for l_1_name in (undefined(name='exports') if l_0_exports is missing else l_0_exports):
        _loop_vars = {}
        pass
        yield '    '
        yield str(l_1_name)
        yield ',\n'
    l_1_name = missing
    yield ')\n\n__all__ = [\n'
    for l_1_name in (undefined(name='all_exports') if l_0_all_exports is missing else l_0_all_exports):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n'

blocks = {}
debug_info = '1=27&2=29&5=31&6=35&11=39&12=43'
