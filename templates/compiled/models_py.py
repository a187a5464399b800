# models.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'models.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_models_doc = resolve('models_doc')
    l_0_models = resolve('models')
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
    yield str(t_1((undefined(name='models_doc') if l_0_models_doc is missing else l_0_models_doc), 0, part=True))
    yield '\n\n`from_dict`/`from_json` validate and then build; `to_dict`/`to_json` produce wire names.\n`format: byte` fields hold base64 text until first read, so code that only routes frames never\npays for decoding them.\n"""\n\nfrom __future__ import annotations\n\n'
    for l_1_line in environment.getattr(environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'imports'), 'stdlib'):
        _loop_vars = {}
        pass
        yield str(l_1_line)
        yield '\n'
    l_1_line = missing
    yield '\n'
    for l_1_line in environment.getattr(environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'imports'), 'local'):
        _loop_vars = {}
        pass
        yield str(l_1_line)
        yield '\n'
    l_1_line = missing
    yield '\n__all__ = [\n'
    for l_1_name in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'all_exports'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n'
    for l_1_enum in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'enums'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(environment.getattr(l_1_enum, 'printed_head'))
        yield '\n'
        if environment.getattr(l_1_enum, 'description'):
            pass
            yield '    """'
            yield str(t_1(environment.getattr(l_1_enum, 'description')))
            yield '"""\n\n'
        for l_2_line in environment.getattr(l_1_enum, 'printed_members'):
            _loop_vars = {}
            pass
            yield str(l_2_line)
            yield '\n'
        l_2_line = missing
        if environment.getattr(l_1_enum, 'aliases'):
            pass
            yield '\n\n'
            for l_2_alias in environment.getattr(l_1_enum, 'printed_aliases'):
                _loop_vars = {}
                pass
                yield str(l_2_alias)
                yield '\n'
            l_2_alias = missing
    l_1_enum = missing
    for l_1_model in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'models'):
        _loop_vars = {}
        pass
        yield '\n\n@dataclass(slots=True, kw_only=True)\n'
        yield str(environment.getattr(l_1_model, 'printed_head'))
        yield '\n'
        if environment.getattr(l_1_model, 'description'):
            pass
            yield '    """'
            yield str(t_1(environment.getattr(l_1_model, 'description')))
            yield '"""\n\n'
        for l_2_line in environment.getattr(l_1_model, 'printed_declarations'):
            _loop_vars = {}
            pass
            yield str(l_2_line)
            yield '\n'
        l_2_line = missing
        yield '\n    @classmethod\n'
        yield str(environment.getattr(environment.getattr(l_1_model, 'printed_defs'), 'from_dict'))
        yield '\n        """Validate `d` (a decoded JSON object) and build the model."""\n'
        if environment.getattr(l_1_model, 'fast'):
            pass
            yield '        # One pass for the common case: every value read once, checked with what certainly\n        # passes, stored; anything else goes to the validator, which says what is wrong.\n'
            yield str(environment.getattr(environment.getattr(l_1_model, 'fast'), 'printed'))
            yield '\n'
        yield str(environment.getattr(l_1_model, 'printed_validate'))
        yield '\n        self = object.__new__(cls)\n'
        for l_2_line in environment.getattr(l_1_model, 'printed_builds'):
            _loop_vars = {}
            pass
            yield str(l_2_line)
            yield '\n'
        l_2_line = missing
        yield '        return self\n\n    @classmethod\n'
        yield str(environment.getattr(environment.getattr(l_1_model, 'printed_defs'), 'from_json'))
        yield '\n        return cls.from_dict(_loads(text))\n\n    @classmethod\n'
        yield str(environment.getattr(environment.getattr(l_1_model, 'printed_defs'), 'from_valid'))
        yield '\n        self = object.__new__(cls)\n'
        for l_2_line in environment.getattr(l_1_model, 'printed_builds'):
            _loop_vars = {}
            pass
            yield str(l_2_line)
            yield '\n'
        l_2_line = missing
        yield '        return self\n\n    def to_dict(self) -> dict[str, Any]:\n        """The wire form: a JSON-ready dict with the document\'s property names."""\n'
        yield str(environment.getattr(l_1_model, 'printed_entries'))
        yield '\n'
        for l_2_block in environment.getattr(l_1_model, 'printed_omitted'):
            _loop_vars = {}
            pass
            yield str(l_2_block)
            yield '\n'
        l_2_block = missing
        yield '        return out\n\n    def to_json(self) -> str:\n        return _dumps(self.to_dict())\n'
        for l_2_slot in environment.getattr(l_1_model, 'printed_slots'):
            _loop_vars = {}
            pass
            yield '\n\n'
            yield str(l_2_slot)
            yield '\n'
        l_2_slot = missing
        if environment.getattr(l_1_model, 'aliases'):
            pass
            yield '\n\n'
            for l_2_alias in environment.getattr(l_1_model, 'printed_aliases'):
                _loop_vars = {}
                pass
                yield str(l_2_alias)
                yield '\n'
            l_2_alias = missing
    l_1_model = missing
    for l_1_message in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'wrapped'):
        l_1_printed = missing
        _loop_vars = {}
        pass
        l_1_printed = environment.getattr(l_1_message, 'printed')
        _loop_vars['printed'] = l_1_printed
        yield '\n\n@dataclass(slots=True, kw_only=True)\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'head'))
        yield '\n    """'
        yield str(t_1(environment.getattr(l_1_message, 'doc')))
        yield '"""\n\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'declaration'))
        yield '\n\n    @classmethod\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'from_frame'))
        yield '\n        """Build the message from one WebSocket frame, validating it."""\n'
        if (environment.getattr(l_1_message, 'framing') == 'binary'):
            pass
            yield '        if isinstance(frame, str):\n            raise ValidationError(\n                [\n                    ValidationErrorItem(\n                        path="", schema_path="", message="expected a binary frame"\n                    )\n                ]\n            )\n        return cls(payload=bytes(frame))\n'
        elif (environment.getattr(l_1_message, 'framing') == 'text'):
            pass
            yield '        if not isinstance(frame, str):\n            raise ValidationError(\n                [\n                    ValidationErrorItem(\n                        path="", schema_path="", message="expected a text frame"\n                    )\n                ]\n            )\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'validate'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'build'))
            yield '\n'
        else:
            pass
            yield '        data = _loads(frame)\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'validate'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'build'))
            yield '\n'
        yield '\n    def to_frame(self) -> '
        yield str(environment.getattr(l_1_message, 'frame_type'))
        yield ':\n        """The WebSocket frame that carries this message."""\n'
        if (environment.getattr(l_1_message, 'framing') == 'json'):
            pass
            yield '        v = self.payload\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'encode'))
            yield '\n'
        else:
            pass
            yield '        return self.payload\n'
    l_1_message = l_1_printed = missing
    for l_1_helper in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'printed_union_helpers'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(l_1_helper)
        yield '\n'
    l_1_helper = missing
    for l_1_union in environment.getattr((undefined(name='models') if l_0_models is missing else l_0_models), 'unions'):
        l_1_printed = missing
        _loop_vars = {}
        pass
        l_1_printed = environment.getattr(l_1_union, 'printed')
        _loop_vars['printed'] = l_1_printed
        yield '\n\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'alias'))
        yield '\n'
        if environment.getattr(l_1_union, 'tags_table'):
            pass
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'tags_table'))
            yield '\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'unchecked_table'))
            yield '\n'
        yield '\n\n'
        yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'parse'))
        yield '\n    """'
        yield str(t_1(environment.getattr(l_1_union, 'doc'), part=True))
        yield '\n\n    Raises `ValidationError` (with the JSON pointer of the problem) for a frame that is not\n    one of the channel\'s messages. With `validate=False` the message is chosen by its tag,\n    consts and required properties only, and built from the frame without checking it.\n    """\n'
        if environment.getattr(l_1_union, 'binary'):
            pass
            yield '    if not isinstance(frame, str):\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'binary'))
            yield '\n'
        for (l_2_test, l_2_build) in environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'text_consts'):
            _loop_vars = {}
            pass
            yield str(l_2_test)
            yield '\n'
            yield str(l_2_build)
            yield '\n'
        l_2_test = l_2_build = missing
        if environment.getattr(l_1_union, 'text_any'):
            pass
            yield '    if isinstance(frame, str) and frame[:1] not in ("{", "["):\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'text_any'))
            yield '\n'
        if environment.getattr(l_1_union, 'tags_table'):
            pass
            yield '    try:\n        data = _json_loads(frame)\n    except (ValueError, TypeError) as exc:\n        raise _not_json(exc) from None\n    if type(data) is dict:\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'tag'))
            yield '\n        if type(tag) is '
            yield str(environment.getattr(l_1_union, 'tag_type'))
            yield ':\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'build'))
            yield '\n            if build is not None:\n                return build(data)\n'
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'unknown'))
            yield '\n    raise ValidationError(\n        [ValidationErrorItem(path="", schema_path="", message="must be object")]\n    )\n'
        elif environment.getattr(l_1_union, 'trials'):
            pass
            if environment.getattr(l_1_union, 'trials_need_data'):
                pass
                yield '    data = _loads(frame)\n'
            yield '    if not validate:\n'
            for l_2_t in environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'trials'):
                _loop_vars = {}
                pass
                yield str(environment.getattr(l_2_t, 'fits'))
                yield '\n'
                yield str(environment.getattr(l_2_t, 'unchecked'))
                yield '\n'
            l_2_t = missing
            yield str(environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'fits_none'))
            yield '\n    errors: list[ValidationErrorItem] = []\n'
            for l_2_t in environment.getattr((undefined(name='printed') if l_1_printed is missing else l_1_printed), 'trials'):
                _loop_vars = {}
                pass
                if environment.getattr(l_2_t, 'carries'):
                    pass
                    yield str(environment.getattr(l_2_t, 'carries'))
                    yield '\n        try:\n'
                    yield str(environment.getattr(l_2_t, 'checked'))
                    yield '\n        except ValidationError as exc:\n            errors.extend(exc.errors)\n    else:\n'
                    yield str(environment.getattr(l_2_t, 'carries_none'))
                    yield '\n'
                else:
                    pass
                    yield '    try:\n'
                    yield str(environment.getattr(l_2_t, 'checked'))
                    yield '\n    except ValidationError as exc:\n        errors.extend(exc.errors)\n'
            l_2_t = missing
            yield '    raise ValidationError(errors)\n'
        else:
            pass
            yield '    raise ValidationError(\n        [ValidationErrorItem(path="", schema_path="", message="unexpected frame")]\n    )\n'
    l_1_union = l_1_printed = missing

blocks = {}
debug_info = '1=26&2=28&11=30&12=33&15=37&16=40&20=44&21=48&24=52&27=56&28=58&29=61&32=63&33=66&35=69&38=72&39=75&43=79&47=83&48=85&49=88&52=90&53=93&57=97&59=99&62=102&64=104&66=106&67=109&72=113&76=115&78=117&79=120&85=124&86=126&87=129&93=133&96=137&98=140&101=143&102=146&106=150&107=154&111=157&112=159&114=161&117=163&119=165&129=168&138=171&139=173&142=178&143=180&146=183&148=185&150=188&155=194&158=198&160=201&161=205&164=208&165=210&167=213&168=215&172=218&173=220&179=222&181=225&183=227&184=230&185=232&187=235&189=238&191=240&197=243&198=245&199=247&202=249&206=251&207=253&211=257&212=260&213=262&215=265&217=267&218=270&219=272&221=274&225=276&228=281'
