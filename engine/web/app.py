"""The web application: the Chinese self-check page and the HTTP API, as a FastAPI app.

    GET  /              the upload page
    POST /check         the form's target; answers with the annotated HTML report (and its downloads)
    POST /api/check     multipart upload or a JSON report document -> the findings document
    GET  /api/rules     every rule
    GET  /api/schema    the JSON Schema of the report document (?name=findings: of the findings)
    GET  /api/health    whether the service is up, and how busy
    GET  /openapi.json  the API described by itself

Every error is answered in Chinese: as JSON `{"error": {"code", "message"}}` from the API, as a page
from the form. The interactive /docs and /redoc pages are turned off: FastAPI builds them from
scripts on a public CDN, which an office network may not reach and which would make the browser
fetch outside code; /openapi.json is the description to feed into a local tool instead.
"""

from __future__ import annotations

import copy
import os
import re
import socket
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__, nationalformat as nf
from ..errors import GongkaiError
from ..plugins import load
from . import pages
from .forms import DEFAULT_NAMES, Part, clean_filename, parse_form
from .limits import MIB, Busy, CheckPool, Crashed, Refused, ServiceError, TimedOut, WorkerLost, read_body

# The multipart envelope (boundaries, part headers) of an upload at the limit still fits.
ENVELOPE = 64 * 1024
PAGE_PATHS = {"/", "/check"}
SCHEMAS = {"report": "annual-report.schema.json", "findings": "findings.schema.json"}


def default_concurrency() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True)
class Settings:
    max_upload_mb: int = 20
    timeout: float = 60.0                 # seconds one check may run before it is stopped (504)
    max_concurrent: int = 0               # checks at once; 0: one per processor core, at most 8
    store: Path | None = None             # keep uploads and results here; None: keep nothing
    queue_wait: float = 10.0              # how long a request waits for a free worker before 429
    queue_limit: int | None = None        # requests waiting at once; None: four per worker
    target: str = "gongkai.web.work:check_job"   # the function a worker runs for each job
    plugins: tuple[str, ...] = ()         # the `-p` choices of plugins, as for `gongkai check`

    @property
    def concurrency(self) -> int:
        return self.max_concurrent or default_concurrency()

    @property
    def body_limit(self) -> int:
        return self.max_upload_mb * MIB + ENVELOPE


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


_ERROR_STATUSES = {400: "请求有误", 413: "内容过大", 415: "内容类型不支持", 422: "无法检查", 429: "服务繁忙",
                   500: "内部错误", 504: "检查超时"}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorBody, "description": _ERROR_STATUSES[s]} for s in statuses}


def _error_response(request: Request, status: int, code: str, message: str,
                    headers: dict[str, str] | None = None) -> Response:
    headers = {"Cache-Control": "no-store", **(headers or {})}
    if request.url.path in PAGE_PATHS and request.method in ("GET", "POST"):
        return HTMLResponse(pages.error_page(status, message), status,
                            headers={**headers, "Content-Security-Policy": pages.PAGE_CSP})
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


# -- FastAPI's own validation errors, in Chinese ---------------------------------------------------------

_WHERE = {"query": "查询参数", "path": "路径参数", "header": "请求头", "body": "请求体", "cookie": "Cookie"}


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors[:5]:
        loc = [str(x) for x in e.get("loc", ())]
        where = _WHERE.get(loc[0], loc[0]) if loc else "请求"
        name = " ".join(loc[1:])
        kind = e.get("type", "")
        if kind == "missing":
            what = "缺少"
        elif kind in ("literal_error", "enum"):
            expected = (e.get("ctx") or {}).get("expected", "")
            what = f"取值不对，应为 {expected.replace(' or ', '、')}" if expected else "取值不对"
        elif kind.startswith("int"):
            what = "应为整数"
        elif kind.startswith("float"):
            what = "应为数字"
        elif kind.startswith("bool"):
            what = "应为 true 或 false"
        elif kind.startswith("string"):
            what = "应为文本"
        else:
            what = "取值无效"
        parts.append(f"{where} {name}：{what}" if name else f"{where}：{what}")
    more = f"（共 {len(errors)} 处）" if len(errors) > 5 else ""
    return "请求参数不符合要求：" + "；".join(parts) + more


# -- the OpenAPI document ----------------------------------------------------------------------------------

def _embed(schema: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A JSON Schema file as OpenAPI components: its $defs become siblings, its $refs follow them."""
    schema = copy.deepcopy(schema)
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items()}
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref == "#":
                    out["$ref"] = f"#/components/schemas/{prefix}"
                elif ref.startswith("#/$defs/"):
                    out["$ref"] = f"#/components/schemas/{prefix}_{ref[len('#/$defs/'):]}"
            return out
        if isinstance(node, list):
            return [fix(x) for x in node]
        return node

    return {prefix: fix(schema), **{f"{prefix}_{k}": fix(v) for k, v in defs.items()}}


_CHECK_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary",
                             "description": "报告文件：HTML、Word（.docx）、PDF、纯文本或 JSON 年报文档"},
                    "text": {"type": "string", "pattern": "\\S", "description": "粘贴的报告全文（与 file 二选一）"},
                    "prior": {"type": "string", "format": "binary", "description": "上一年度的报告（可选，用于跨年度核对）"},
                    "profile": {"type": "string", "format": "binary", "description": "评分方案（可选，YAML）"},
                },
                "oneOf": [{"required": ["file"]}, {"required": ["text"]}],
            },
        },
        "application/json": {"schema": {"$ref": "#/components/schemas/AnnualReport"}},
    },
}

_CHECK_OK = {
    "description": "检查结果文档（format=json），或表格行（format=csv），或带标注的报告页面（format=html）",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Findings"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    },
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(_embed(nf.load_schema(SCHEMAS["report"]), "AnnualReport"))
        schemas.update(_embed(nf.load_schema(SCHEMAS["findings"]), "Findings"))
        app.openapi_schema = doc
    return app.openapi_schema


# -- the application ---------------------------------------------------------------------------------

def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    catalogue = load(select=settings.plugins)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = CheckPool(settings.concurrency, settings.timeout, settings.target, settings.queue_wait,
                         settings.queue_limit, setup={"plugins": list(settings.plugins)})
        await pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(title="gongkai 年报自查服务", version=__version__, lifespan=lifespan,
                  description="检查政府信息公开工作年度报告是否符合国办公开办函〔2021〕30号格式，给出得分、等级和每个问题的位置。"
                              "出错时返回 `{\"error\": {\"code\": …, \"message\": …}}`，message 为中文说明。",
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.state.settings = settings

    # -- errors ----------------------------------------------------------------------------------------

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, err: ServiceError) -> Response:
        return _error_response(request, err.status, err.code, err.message, err.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> Response:
        return _error_response(request, 422, "invalid_request", _validation_message(list(err.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            message, code = f"找不到这个地址：{request.url.path}", "not_found"
        elif err.status_code == 405:
            message, code = f"这个地址不接受 {request.method} 请求。", "method_not_allowed"
        else:
            message, code = f"请求无法完成（HTTP {err.status_code}）。", "http_error"
        return _error_response(request, err.status_code, code, message, dict(err.headers or {}))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, err: Exception) -> Response:
        return _error_response(request, 500, "internal", f"服务器内部错误（{type(err).__name__}）。这是 gongkai 的缺陷，"
                                                         f"请把报告文件和出错时间告诉管理员。")

    # -- the check itself ------------------------------------------------------------------------------

    async def run(job: dict[str, Any]) -> dict[str, Any]:
        pool: CheckPool = request_pool(app)
        try:
            reply = await pool.run(job)
        except Busy:
            raise ServiceError(429, "busy", f"正在进行的检查已达上限（{settings.concurrency} 个），请稍后再试。",
                               {"Retry-After": "5"}) from None
        except TimedOut:
            raise ServiceError(504, "timeout", f"检查超过 {settings.timeout:g} 秒仍未完成，已中止。报告可能过大或排版异常；"
                                               f"可以把报告另存为纯文本后再试，或请管理员调高时限（gongkai serve --timeout）。") from None
        except WorkerLost:
            raise ServiceError(500, "worker_lost", "检查进程意外退出（可能是内存不足）。请稍后重试；如仍出错，请把报告文件告诉管理员。") from None
        if isinstance(reply, Refused):
            if reply.kind == "NotJSON":
                raise ServiceError(400, "bad_request", reply.message)
            code = {"UnreadableInput": "unreadable", "ProfileError": "invalid_profile"}.get(reply.kind, "unprocessable")
            raise ServiceError(422, code, reply.message)
        if isinstance(reply, Crashed):
            raise ServiceError(500, "internal", f"检查时发生内部错误（{reply.detail}）。这是 gongkai 的缺陷，"
                                                f"请把报告文件告诉管理员。")
        if settings.store is not None:
            from .store import save
            await run_in_threadpool(save, settings.store, job, reply["output"])
        return reply

    def job_from_form(fields: dict[str, Part], render: list[str]) -> dict[str, Any]:
        def given(name: str) -> Part | None:
            part = fields.get(name)
            # A form always sends every field: an empty file input or an empty text box means "not given".
            if part is None or (not part.data and not part.filename) or (name == "text" and not part.data.strip()):
                return None
            return part

        file, text = given("file"), given("text")
        if file and text:
            raise ServiceError(400, "bad_request", "请只选择一种方式：上传报告文件，或粘贴报告全文，不要同时使用。")
        if not file and not text:
            raise ServiceError(400, "bad_request", "请选择报告文件，或粘贴报告全文。")
        main = file or text
        assert main is not None
        job: dict[str, Any] = {"report": {"name": clean_filename(main.filename, DEFAULT_NAMES[main.field]),
                                          "data": main.data},
                               "prior": None, "profile": None, "render": render}
        for extra in ("prior", "profile"):
            part = given(extra)
            if part is not None:
                job[extra] = {"name": clean_filename(part.filename, DEFAULT_NAMES[extra]), "data": part.data}
        return job

    def media_type(request: Request) -> str:
        return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    # -- routes ----------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def upload_page() -> Response:
        return HTMLResponse(pages.upload_page(settings.max_upload_mb, settings.timeout, settings.store is not None),
                            headers={"Content-Security-Policy": pages.PAGE_CSP})

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request) -> Response:
        if media_type(request) != "multipart/form-data":
            raise ServiceError(415, "unsupported_media_type", "请通过本站的上传页面提交报告（multipart/form-data）。")
        body = await read_body(request, settings.body_limit)
        job = job_from_form(parse_form(body, request.headers["content-type"]), ["page"])
        reply = await run(job)
        return HTMLResponse(reply["html"], headers={"Cache-Control": "no-store", "Content-Security-Policy": reply["csp"]})

    @app.post("/api/check", summary="检查一份年度报告", openapi_extra={"requestBody": _CHECK_BODY},
              responses={200: _CHECK_OK, **_errors(400, 413, 415, 422, 429, 500, 504)},
              response_class=JSONResponse)
    async def api_check(request: Request,
                        format: Literal["json", "csv", "html"] = Query(
                            "json", description="json：检查结果文档；csv：表格行（带表头）；html：带标注的报告页面")) -> Response:
        """以 multipart/form-data 上传报告文件（字段 file，或粘贴的全文 text；可选上一年度报告 prior 和评分方案
        profile），或以 application/json 提交符合 /api/schema 的年报文档。返回检查结果文档（符合 /api/schema?name=findings）。"""
        kind = media_type(request)
        if kind != "multipart/form-data" and kind != "application/json" and not kind.endswith("+json"):
            shown = kind or "（未给出）"
            raise ServiceError(415, "unsupported_media_type", f"不支持的内容类型 {shown}：请以 multipart/form-data 上传报告文件，"
                                                              f"或以 application/json 提交年报文档。")
        body = await read_body(request, settings.body_limit)
        render = [] if format == "json" else [format]
        if kind == "multipart/form-data":
            job = job_from_form(parse_form(body, request.headers["content-type"]), render)
        else:
            if not body.strip():
                raise ServiceError(400, "bad_request", "请求体为空：请提交年报文档（JSON）。")
            job = {"report": {"name": "请求体.json", "data": body, "json": True}, "prior": None, "profile": None,
                   "render": render}
        reply = await run(job)
        headers = {"Cache-Control": "no-store"}
        if format == "csv":
            return Response(reply["csv"], media_type="text/csv; charset=utf-8", headers=headers)
        if format == "html":
            return HTMLResponse(reply["html"], headers={**headers, "Content-Security-Policy": reply["csp"]})
        return JSONResponse(reply["output"], headers=headers)

    @app.get("/api/rules", summary="所有检查规则", responses=_errors(500))
    async def api_rules() -> list[dict[str, Any]]:
        return [{"code": r.code, "name": r.name, "category": r.category, "severity": r.severity, "basis": r.basis,
                 "summary": r.summary, "doc": r.doc, "aliases": list(r.aliases)} for r in catalogue.rules]

    @app.get("/api/schema", summary="年报文档或检查结果的 JSON Schema", responses=_errors(422, 500))
    async def api_schema(name: Literal["report", "findings"] = Query(
            "report", description="report：年报文档（annual-report.schema.json）；findings：检查结果（findings.schema.json）")
    ) -> dict[str, Any]:
        return nf.load_schema(SCHEMAS[name])

    @app.get("/api/health", summary="服务状态", responses=_errors(500))
    async def api_health() -> dict[str, Any]:
        pool = request_pool(app)
        return {"status": "ok", "version": __version__, "workers": pool.size, "idle": pool.idle,
                "waiting": pool.waiting, "storing": settings.store is not None}

    return app


def request_pool(app: FastAPI) -> CheckPool:
    pool = getattr(app.state, "pool", None)
    if pool is None:
        raise ServiceError(500, "not_started", "检查进程尚未启动。")
    return pool


def _check_port(host: str, port: int) -> None:
    """Say in Chinese, before the workers start, that the address cannot be used (uvicorn would say it
    in English after starting them)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise GongkaiError(f"无法识别监听地址 {host}：{err.strerror or err}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn does
        try:
            probe.bind(address)
        except OSError as err:
            raise GongkaiError(f"无法在 {host}:{port} 上监听：{err.strerror or err}。端口可能已被占用，可用 --port 换一个。") from None


def serve(host: str = "127.0.0.1", port: int = 8000, settings: Settings | None = None) -> None:
    """Run the service with uvicorn until interrupted."""
    import uvicorn

    settings = settings or Settings()
    if settings.store is not None:
        settings.store.mkdir(parents=True, exist_ok=True)
    _check_port(host, port)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"gongkai 年报自查服务：{where}（按 Ctrl+C 停止）", file=sys.stderr)
    print(f"  上传上限 {settings.max_upload_mb} MB，单次检查时限 {settings.timeout:g} 秒，同时检查 {settings.concurrency} 份；"
          + (f"上传的报告和结果保存在 {settings.store}" if settings.store else "不保存上传的报告"), file=sys.stderr)
    if not re.fullmatch(r"127\.\d+\.\d+\.\d+|::1|localhost", host):
        print("  注意：服务监听在本机以外的地址上，且没有登录验证。请只在内部网络中开放，"
              "最好放在带访问控制的反向代理（如 nginx）之后。", file=sys.stderr)
    # The access log names paths and statuses only, never a report's content or file name.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", timeout_keep_alive=5,
                server_header=False)
