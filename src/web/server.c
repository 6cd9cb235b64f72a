/*
 * server.c — `parcours serve`: libmicrohttpd with a thread pool, one SQLite
 * connection per thread, bodies capped, static files from static/, and the
 * security headers on every answer.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/text.h"
#include "cli/cli.h"
#include "db/db.h"
#include "web/form.h"
#include "web/http.h"
#include "web/render.h"
#include "web/router.h"

static const char *db_path;
static const char *static_dir = "static";
static volatile sig_atomic_t stopping;
static _Thread_local struct db *thread_db;

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
			  "object-src 'none'; base-uri 'none'; form-action 'self'; "
			  "frame-ancestors 'none'";

static struct db *connection_db(void)
{
	char *err = NULL;

	if (!thread_db && db_open_raw(&thread_db, db_path, &err)) {
		fprintf(stderr, "parcours: %s\n", err ? err : "cannot open the database");
		free(err);
	}
	return thread_db;
}

static void security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

static const char *mime_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".css", "text/css" }, { ".js", "text/javascript" }, { ".mjs", "text/javascript" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" }, { ".woff", "font/woff" }, { ".json", "application/json" },
		{ ".webmanifest", "application/manifest+json" }, { ".txt", "text/plain" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

/* Static paths are canonical before use: only [A-Za-z0-9._/-], no "..",
 * no hidden files. */
static int static_path_ok(const char *p)
{
	if (strstr(p, "..") || strstr(p, "/.") || strstr(p, "//"))
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '/' || *p == '-'))
			return 0;
	return 1;
}

static enum MHD_Result serve_static(struct MHD_Connection *conn, const char *url)
{
	struct MHD_Response *r;
	struct stat st;
	char path[1024];
	enum MHD_Result ret;
	int fd;

	if (!static_path_ok(url + 8) ||
	    snprintf(path, sizeof path, "%s/%s", static_dir, url + 8) >= (int)sizeof path)
		fd = -1;
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		r = MHD_create_response_from_buffer(9, (void *)"not found", MHD_RESPMEM_PERSISTENT);
		security_headers(r);
		ret = MHD_queue_response(conn, 404, r);
		MHD_destroy_response(r);
		return ret;
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(r, "Content-Type", mime_type(path));
	MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
	security_headers(r);
	ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	json_t *v = value ? json_string(value) : NULL; /* NULL for invalid UTF-8 */

	(void)kind;
	if (key && v)
		json_object_set_new((json_t *)cls, key, v);
	else
		json_decref(v);
	return MHD_YES;
}

struct exchange {
	struct request req;
	struct response res;
};

static void exchange_free(struct exchange *x)
{
	json_decref(x->req.query);
	json_decref(x->req.form);
	json_decref(x->req.params);
	buf_release(&x->req.body);
	json_decref(x->res.data);
	free(x->res.location);
	free(x->res.raw);
	free(x->res.filename);
	for (int i = 0; i < 3; i++)
		free(x->res.set_cookie[i]);
	free(x);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, size, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

/* Urlencoded forms from browsers; JSON objects from scripts. */
static int decode_body(struct MHD_Connection *conn, struct request *req)
{
	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");

	if (req->body.len == 0)
		return 0;
	json_decref(req->form);
	req->form = NULL;
	if (type && strncmp(type, "application/json", 16) == 0) {
		req->form = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(req->form)) {
			json_decref(req->form);
			req->form = NULL;
		}
	} else {
		req->form = form_decode(req->body.data, req->body.len, 1000);
	}
	if (!req->form) {
		req->form = json_object();
		return -1;
	}
	return 0;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static void fill_request(struct MHD_Connection *conn, struct request *req, const char *url,
			 const char *method, char *address, size_t address_size)
{
	req->method = method;
	req->path = url;
	client_address(conn, address, address_size);
	req->address = address;
	req->accept = header(conn, "Accept");
	req->cookie = header(conn, "Cookie");
	req->authorization = header(conn, "Authorization");
	req->forwarded_proto = header(conn, "X-Forwarded-Proto");
	req->wants_json = req->accept && strstr(req->accept, "application/json") &&
			  !strstr(req->accept, "text/html");
	req->query = json_object();
	req->params = json_object();
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, req->query);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct request *req,
			    struct response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *type = res->content_type;
	struct buf body;

	buf_init(&body, (size_t)1 << 30);
	if (res->location) {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Location", res->location);
	} else if (res->raw) {
		r = MHD_create_response_from_buffer(res->raw_len, res->raw, MHD_RESPMEM_MUST_COPY);
	} else {
		type = render_response(req, res, &body);
		r = MHD_create_response_from_buffer(body.len, body.data ? body.data : (void *)"",
						    MHD_RESPMEM_MUST_COPY);
	}
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	if (res->filename) {
		char disp[300];
		snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", res->filename);
		MHD_add_response_header(r, "Content-Disposition", disp);
	}
	for (int i = 0; i < 3; i++)
		if (res->set_cookie[i])
			MHD_add_response_header(r, "Set-Cookie", res->set_cookie[i]);
	if (res->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	/* Pages hold personal data: never cached, by the browser or a proxy. */
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "Vary", "Accept, Cookie");
	security_headers(r);
	ret = MHD_queue_response(conn, (unsigned)(res->status ? res->status : 200), r);
	MHD_destroy_response(r);
	buf_release(&body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct exchange *x = *con_cls;
	char address[64];

	(void)cls;
	(void)version;
	if (!x) {
		if (strncmp(url, "/static/", 8) == 0 && strcmp(method, "GET") == 0)
			return serve_static(conn, url);
		x = calloc(1, sizeof *x);
		if (!x)
			return MHD_NO;
		buf_init(&x->req.body, HTTP_MAX_BODY);
		*con_cls = x;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (buf_add(&x->req.body, upload_data, *upload_data_size))
			x->req.body_too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	fill_request(conn, &x->req, url, method, address, sizeof address);
	x->res.status = 200;
	x->req.db = connection_db();
	if (!x->req.db)
		res_error(&x->res, 500, "base de données indisponible");
	else if (x->req.body_too_large)
		res_error(&x->res, 413, "l'envoi dépasse 2 Mio");
	else if (decode_body(conn, &x->req))
		res_error(&x->res, 400, "formulaire illisible");
	else
		router_dispatch(&x->req, &x->res);
	return send_response(conn, &x->req, &x->res);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	if (*con_cls)
		exchange_free(*con_cls);
	*con_cls = NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static struct MHD_Daemon *start(const char *listen, int port)
{
	static struct sockaddr_in addr;

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, listen, &addr.sin_addr) != 1)
		return NULL;
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
					MHD_USE_ERROR_LOG,
				(uint16_t)port, NULL, NULL, on_request, NULL,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const char *const opts[] = { "--listen", "--port", "--static", NULL };
	const char *listen, *port_s;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct cli_args a;
	long port;

	if (cli_parse(&a, argc, argv, opts, NULL) || a.npos) {
		fprintf(stderr, "usage: parcours serve [--listen ADDR] [--port N] [--static DIR]\n");
		return EXIT_USAGE;
	}
	listen = cli_opt(&a, "--listen") ? cli_opt(&a, "--listen") : "127.0.0.1";
	port_s = cli_opt(&a, "--port");
	port = port_s ? strtol(port_s, NULL, 10) : 8080;
	if (cli_opt(&a, "--static"))
		static_dir = cli_opt(&a, "--static");
	else if (getenv("PARCOURS_STATIC"))
		static_dir = getenv("PARCOURS_STATIC");
	if (port < 0 || port > 65535) {
		fprintf(stderr, "parcours: bad port %s\n", port_s);
		return EXIT_USAGE;
	}
	db_path = c->db_path;
	/* Sessions past their absolute lifetime and forms kept over a day are dropped. */
	db_execf(c->db, "DELETE FROM web_session WHERE created_at < ?", "i",
		 (int64_t)time(NULL) - 12 * 3600);
	db_execf(c->db, "DELETE FROM pending_form WHERE created_at < ?", "i",
		 (int64_t)time(NULL) - 24 * 3600);
	d = start(listen, (int)port);
	if (!d) {
		fprintf(stderr, "parcours: cannot listen on %s:%ld\n", listen, port);
		return EXIT_FAILURE_;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u\n", listen, info ? (unsigned)info->port : (unsigned)port);
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	while (!stopping)
		pause();
	MHD_stop_daemon(d);
	return EXIT_OK;
}
