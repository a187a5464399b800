# broker_client.py.jinja compiled by Jinja 3.1.6: written by `python scripts/compile_templates.py`; do not edit.
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'broker_client.py.jinja'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_client = resolve('client')
    try:
        t_1 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    pass
    yield str((undefined(name='header') if l_0_header is missing else l_0_header))
    yield '\n"""'
    yield str(t_1(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'doc'), 0))
    yield '"""\n\nfrom __future__ import annotations\n\nimport ssl\nfrom collections.abc import Generator\nfrom dataclasses import dataclass\nfrom types import TracebackType\nfrom typing import Any, ClassVar, Literal, Self\n\n'
    for l_1_statement in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'imports'):
        _loop_vars = {}
        pass
        yield str(l_1_statement)
        yield '\n'
    l_1_statement = missing
    yield '\n__all__ = [\n    "BrokerError",\n    "Client",\n    "ClientClosed",\n    "ConnectionLost",\n    "InvalidMessage",\n    "Received",\n    "Subscription",\n]\n\n_SERVERS: dict[str, str] = {\n'
    for (l_1_name, l_1_url) in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'servers'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(l_1_name)
        yield ': '
        yield str(l_1_url)
        yield ',\n'
    l_1_name = l_1_url = missing
    yield '}\n'
    if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'client_ids'):
        pass
        yield '_CLIENT_IDS: dict[str, str] = {\n'
        for (l_1_name, l_1_value) in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'client_ids'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(l_1_name)
            yield ': '
            yield str(l_1_value)
            yield ',\n'
        l_1_name = l_1_value = missing
        yield '}\n'
    if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'clean_sessions'):
        pass
        yield '_CLEAN_SESSIONS: dict[str, bool] = {\n'
        for (l_1_name, l_1_value) in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'clean_sessions'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(l_1_name)
            yield ': '
            yield str(l_1_value)
            yield ',\n'
        l_1_name = l_1_value = missing
        yield '}\n'
    for l_1_c in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'channels'):
        _loop_vars = {}
        pass
        yield '\n\n@dataclass(frozen=True, slots=True)\nclass '
        yield str(environment.getattr(l_1_c, 'params_cls'))
        yield ':\n    """'
        yield str(t_1(environment.getattr(l_1_c, 'params_doc'), 4))
        yield '"""\n'
        for l_2_p in environment.getattr(l_1_c, 'params'):
            _loop_vars = {}
            pass
            yield '\n    '
            yield str(environment.getattr(l_2_p, 'py_name'))
            yield ': '
            yield str(environment.getattr(l_2_p, 'annotation'))
            yield '\n'
            if environment.getattr(l_2_p, 'description'):
                pass
                yield '    """'
                yield str(t_1(environment.getattr(l_2_p, 'description'), 4))
                yield '"""\n'
        l_2_p = missing
        yield '\n\nclass '
        yield str(environment.getattr(l_1_c, 'cls'))
        yield ':\n    """'
        yield str(t_1(environment.getattr(l_1_c, 'doc'), 4))
        yield '"""\n\n    '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'address'))
        yield '\n    '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'publish'))
        yield '\n    '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'subscribe'))
        yield '\n\n    def __init__(self, client: _broker.BrokerClient, validate_incoming: bool) -> None:\n        self._client = client\n        self._validate_incoming = validate_incoming\n'
        for l_2_e in environment.getattr(l_1_c, 'publishes'):
            _loop_vars = {}
            pass
            yield '\n    async def '
            yield str(environment.getattr(l_2_e, 'method'))
            yield '(\n        self,\n        message: '
            yield str(environment.getattr(l_2_e, 'cls'))
            yield ',\n'
            if environment.getattr(l_1_c, 'params'):
                pass
                yield '        *,\n'
                for l_3_p in environment.getattr(l_1_c, 'params'):
                    _loop_vars = {}
                    pass
                    yield '        '
                    yield str(environment.getattr(l_3_p, 'py_name'))
                    yield ': '
                    yield str(environment.getattr(l_3_p, 'annotation'))
                    yield ',\n'
                l_3_p = missing
            yield '    ) -> None:\n        """'
            yield str(t_1(environment.getattr(l_2_e, 'doc'), 8))
            yield '"""\n'
            for l_3_line in environment.getattr(l_2_e, 'lines'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_3_line)
                yield '\n'
            l_3_line = missing
            yield '        '
            yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'fill'))
            yield '\n        await self._client.publish(topic, payload, self._PUBLISH)\n'
        l_2_e = missing
        for l_2_r in environment.getattr(l_1_c, 'requests'):
            _loop_vars = {}
            pass
            yield '\n    async def '
            yield str(environment.getattr(l_2_r, 'method'))
            yield '(\n        self,\n        message: '
            yield str(environment.getattr(l_2_r, 'cls'))
            yield ',\n        *,\n'
            for l_3_p in environment.getattr(l_1_c, 'params'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(environment.getattr(l_3_p, 'py_name'))
                yield ': '
                yield str(environment.getattr(l_3_p, 'annotation'))
                yield ',\n'
            l_3_p = missing
            yield '        timeout: float | None = 10.0,\n    ) -> '
            yield str(environment.getattr(l_2_r, 'reply'))
            yield ':\n        """'
            yield str(t_1(environment.getattr(l_2_r, 'doc'), 8))
            yield '"""\n'
            for l_3_line in environment.getattr(l_2_r, 'lines'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_3_line)
                yield '\n'
            l_3_line = missing
            yield '        '
            yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'fill'))
            yield '\n        received = await self._client.request(\n            topic, payload, self._PUBLISH, self.'
            yield str(environment.getattr(l_2_r, 'decode'))
            yield ', timeout\n        )\n        return received.message\n\n    '
            yield str(environment.getattr(l_2_r, 'decode_signature'))
            yield '\n        '
            yield str(environment.getattr(l_2_r, 'parse_line'))
            yield '\n        return Received(message, None, incoming.topic)\n'
        l_2_r = missing
        for l_2_e in environment.getattr(l_1_c, 'replies'):
            _loop_vars = {}
            pass
            yield '\n    async def '
            yield str(environment.getattr(l_2_e, 'method'))
            yield '(\n        self,\n        request: Received[Any, Any],\n        message: '
            yield str(environment.getattr(l_2_e, 'cls'))
            yield ',\n    ) -> None:\n        """'
            yield str(t_1(environment.getattr(l_2_e, 'doc'), 8))
            yield '"""\n        if request.reply_to is None:\n            raise ValueError("the request carries no reply-to address")\n'
            for l_3_line in environment.getattr(l_2_e, 'lines'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(l_3_line)
                yield '\n'
            l_3_line = missing
            yield '        await self._client.reply(request.reply_to, payload, request.correlation_id)\n'
        l_2_e = missing
        yield '\n    def subscribe(\n        self,\n'
        if environment.getattr(l_1_c, 'params'):
            pass
            yield '        *,\n'
            for l_2_p in environment.getattr(l_1_c, 'params'):
                _loop_vars = {}
                pass
                yield '        '
                yield str(environment.getattr(l_2_p, 'py_name'))
                yield ': '
                yield str(environment.getattr(l_2_p, 'annotation'))
                yield ' | None = None,\n'
            l_2_p = missing
        yield '    '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'subscribe_returns'))
        yield '\n        """'
        yield str(t_1(environment.getattr(l_1_c, 'subscribe_doc'), 8))
        yield '"""\n        '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'pattern'))
        yield '\n        return self._client.subscription(pattern, self._SUBSCRIBE, self._decode)\n\n    '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'decode'))
        yield '\n        values = self._ADDRESS.match(incoming.topic)\n        if values is None:\n            raise ValueError(\n                f"topic {incoming.topic!r} is not {self._ADDRESS.template!r}"\n            )\n        return Received(\n            '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'parse'))
        yield '\n            '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'params'))
        yield '\n            incoming.topic,\n            incoming.reply_to,\n            incoming.correlation_id,\n        )\n'
    l_1_c = missing
    yield '\n\nclass Client:\n    """'
    yield str(t_1(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'client_doc'), 4))
    yield '"""\n\n    def __init__(self, client: _broker.BrokerClient, validate_incoming: bool) -> None:\n        self._client = client\n'
    for l_1_c in environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'channels'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(environment.getattr(environment.getattr(l_1_c, 'lines'), 'init'))
        yield '\n'
    l_1_c = missing
    yield '\n    @classmethod\n    def connect(\n        cls,\n        server: '
    yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'server_choice'))
    yield ' = '
    yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'default_server'))
    yield ',\n        url: str | None = None,\n        *,\n        user: str | None = None,\n        password: str | None = None,\n'
    if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'token'):
        pass
        yield '        token: str | None = None,\n'
    yield '        tls_context: ssl.SSLContext | None = None,\n'
    if (environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'protocol') == 'mqtt'):
        pass
        yield '        client_id: str | None = None,\n'
    yield '        reconnect: bool = False,\n        validate_incoming: bool = True,\n    ) -> Self:\n        """'
    yield str(t_1(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'connect_doc'), 8))
    yield '"""\n        target = _SERVERS[server] if url is None else url\n        if tls_context is None and target.startswith('
    yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'secure_scheme'))
    yield '):\n            tls_context = ssl.create_default_context()\n        link = '
    yield str(environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'link'))
    yield '(\n            target,\n            username=user,\n            password=password,\n'
    if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'token'):
        pass
        yield '            token=token,\n'
    if (environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'protocol') == 'mqtt'):
        pass
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'client_ids'):
            pass
            yield '            client_id=_CLIENT_IDS.get(server) if client_id is None else client_id,\n'
        else:
            pass
            yield '            client_id=client_id,\n'
        if environment.getattr((undefined(name='client') if l_0_client is missing else l_0_client), 'clean_sessions'):
            pass
            yield '            clean_session=_CLEAN_SESSIONS.get(server),\n'
    yield '            tls_context=tls_context,\n        )\n        return cls(_broker.BrokerClient(link, reconnect=reconnect), validate_incoming)\n\n    async def start(self) -> Self:\n        """Open the connection (what `await Client.connect(...)` does)."""\n        await self._client.start()\n        return self\n\n    async def close(self) -> None:\n        """Close the connection; subscriptions end, later calls raise `ClientClosed`."""\n        await self._client.close()\n\n    def __await__(self) -> Generator[Any, None, Self]:\n        return self.start().__await__()\n\n    async def __aenter__(self) -> Self:\n        return await self.start()\n\n    async def __aexit__(\n        self,\n        exc_type: type[BaseException] | None,\n        exc: BaseException | None,\n        traceback: TracebackType | None,\n    ) -> None:\n        await self.close()\n'

blocks = {}
debug_info = '1=19&2=21&12=23&13=26&27=30&28=34&31=40&33=43&34=47&38=53&40=56&41=60&45=66&49=70&50=72&51=74&53=78&54=82&55=85&60=89&61=91&63=93&64=95&65=97&70=99&72=103&74=105&75=107&77=110&78=114&82=120&83=122&84=126&86=130&89=133&91=137&93=139&95=141&96=145&99=151&100=153&101=155&102=159&104=163&106=165&110=167&111=169&114=172&116=176&119=178&121=180&124=182&125=186&132=192&134=195&135=199&138=205&139=207&140=209&143=211&150=213&151=215&160=219&164=221&165=225&171=229&176=233&180=237&186=241&188=243&190=245&194=247&197=250&198=252&203=258'
