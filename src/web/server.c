/*
 * server.c — `parcours serve`: libmicrohttpd with a thread pool, one SQLite
 * connection per thread, bodies capped, static files from static/, and the
 * security headers on every answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
#include "web/upload.h"

static const char *db_path;
static const char *static_dir = "static";
static int trust_proxy; /* --trust-proxy: the client is X-Forwarded-For's last entry */
static _Thread_local struct db *thread_db;

/* Every per-thread connection, so that a stop closes them all (the pool's
 * threads end inside MHD_stop_daemon, and their thread_db with them). */
#define SERVER_MAX_DBS 64
static struct db *opened_dbs[SERVER_MAX_DBS];
static int nopened_dbs;
static pthread_mutex_t opened_lock = PTHREAD_MUTEX_INITIALIZER;

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
			  "object-src 'none'; base-uri 'none'; form-action 'self'; "
			  "frame-ancestors 'none'";

static struct db *connection_db(void)
{
	char *err = NULL;
	int kept = 0;

	if (thread_db)
		return thread_db;
	if (db_open_raw(&thread_db, db_path, &err)) {
		fprintf(stderr, "parcours: %s\n", err ? err : "cannot open the database");
		free(err);
		return NULL;
	}
	pthread_mutex_lock(&opened_lock);
	if (nopened_dbs < SERVER_MAX_DBS) {
		opened_dbs[nopened_dbs++] = thread_db;
		kept = 1;
	}
	pthread_mutex_unlock(&opened_lock);
	if (!kept) { /* more threads than the pool has: never happens */
		db_close(thread_db);
		thread_db = NULL;
	}
	return thread_db;
}

/* After MHD_stop_daemon: no thread uses them any more. */
static void close_connections(void)
{
	pthread_mutex_lock(&opened_lock);
	for (int i = 0; i < nopened_dbs; i++)
		db_close(opened_dbs[i]);
	nopened_dbs = 0;
	pthread_mutex_unlock(&opened_lock);
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
	int multipart; /* a file upload: its own, larger body limit */
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

struct forwarded {
	char last[64]; /* last address of the last X-Forwarded-For header */
	int found;
};

static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	struct forwarded *f = cls;
	const char *comma, *start;
	size_t n;

	(void)kind;
	if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0)
		return MHD_YES;
	comma = strrchr(value, ',');
	start = comma ? comma + 1 : value;
	while (*start == ' ' || *start == '\t')
		start++;
	n = strcspn(start, " \t");
	f->found = 0;
	if (n > 0 && n < sizeof f->last) {
		memcpy(f->last, start, n);
		f->last[n] = '\0';
		f->found = 1;
	}
	return MHD_YES;
}

/* Behind nginx (--trust-proxy), the client is the last X-Forwarded-For
 * entry: the one the proxy itself appended; earlier ones are the
 * client's to invent. Kept only when it is an IP address literal. */
static int forwarded_address(struct MHD_Connection *conn, char *out, size_t size)
{
	struct forwarded f = { "", 0 };
	unsigned char ip[sizeof(struct in6_addr)];

	MHD_get_connection_values(conn, MHD_HEADER_KIND, last_forwarded, &f);
	if (!f.found || (inet_pton(AF_INET, f.last, ip) != 1 && inet_pton(AF_INET6, f.last, ip) != 1))
		return -1;
	snprintf(out, size, "%s", f.last);
	return 0;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (trust_proxy && forwarded_address(conn, out, size) == 0)
		return;
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
	} else if (upload_is_multipart(type)) {
		/* A file upload (lists): the file stays in req->body. */
		req->form = upload_decode(type, req->body.data, req->body.len, 100);
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
		/* Handed over, not copied: libmicrohttpd frees it once sent. */
		r = MHD_create_response_from_buffer(res->raw_len, res->raw, MHD_RESPMEM_MUST_FREE);
		if (r)
			res->raw = NULL;
	} else {
		size_t len = 0;
		char *data;
		type = render_response(req, res, &body);
		data = buf_detach(&body, &len);
		r = data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE) : NULL;
		if (!r)
			free(data);
	}
	if (!r) {
		buf_release(&body);
		return MHD_NO;
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
		x->multipart = upload_is_multipart(MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, "Content-Type"));
		buf_init(&x->req.body, x->multipart ? UPLOAD_MAX_BODY : HTTP_MAX_BODY);
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
		res_error(&x->res, 413, x->multipart ? "le fichier dépasse 10 Mio"
						      : "l'envoi dépasse 2 Mio");
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

static struct MHD_Daemon *start(const struct sockaddr_in *addr)
{
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
					MHD_USE_ERROR_LOG,
				ntohs(addr->sin_port), NULL, NULL, on_request, NULL,
				MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
}

/* A port is 0 (any free one) to 65535, in decimal, nothing after. */
static int parse_port(const char *s, long *port)
{
	char *end;

	if (!s) {
		*port = 8080;
		return 0;
	}
	errno = 0;
	*port = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *port >= 0 && *port <= 65535 ? 0 : -1;
}

/* Parses the options; 0, or EXIT_USAGE after saying why. */
static int serve_options(int argc, char **argv, struct sockaddr_in *addr)
{
	static const char *const opts[] = { "--listen", "--port", "--static", NULL };
	static const char *const flags[] = { "--trust-proxy", NULL };
	const char *listen;
	struct cli_args a;
	long port;

	if (cli_parse(&a, argc, argv, opts, flags) || a.npos) {
		fprintf(stderr, "usage: parcours serve [--listen ADDR] [--port N] [--static DIR] "
				"[--trust-proxy]\n");
		return EXIT_USAGE;
	}
	listen = cli_opt(&a, "--listen") ? cli_opt(&a, "--listen") : "127.0.0.1";
	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	if (inet_pton(AF_INET, listen, &addr->sin_addr) != 1) {
		fprintf(stderr, "parcours serve: --listen %s: an IPv4 address is expected "
				"(e.g. 127.0.0.1 or 0.0.0.0)\n", listen);
		return EXIT_USAGE;
	}
	if (parse_port(cli_opt(&a, "--port"), &port)) {
		fprintf(stderr, "parcours serve: --port %s: a number from 0 to 65535 is expected\n",
			cli_opt(&a, "--port"));
		return EXIT_USAGE;
	}
	addr->sin_port = htons((uint16_t)port);
	if (cli_opt(&a, "--static"))
		static_dir = cli_opt(&a, "--static");
	else if (getenv("PARCOURS_STATIC"))
		static_dir = getenv("PARCOURS_STATIC");
	trust_proxy = cli_flag(&a, "--trust-proxy");
	return 0;
}

/* Waits for SIGINT or SIGTERM. They are blocked in every thread (the pool
 * inherits the mask), so none can be lost on a pool thread or between a
 * test and a pause(). */
static void wait_for_stop(const sigset_t *stop)
{
	int sig;

	while (sigwait(stop, &sig) != 0)
		;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct sockaddr_in addr;
	char host[INET_ADDRSTRLEN];
	sigset_t stop;
	int rc = serve_options(argc, argv, &addr);

	if (rc)
		return rc;
	db_path = c->db_path;
	/* Sessions past their absolute lifetime and forms kept over a day are dropped. */
	db_execf(c->db, "DELETE FROM web_session WHERE created_at < ?", "i",
		 (int64_t)time(NULL) - 12 * 3600);
	db_execf(c->db, "DELETE FROM pending_form WHERE created_at < ?", "i",
		 (int64_t)time(NULL) - 24 * 3600);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
	d = start(&addr);
	if (!d) {
		fprintf(stderr, "parcours: cannot listen on %s:%u\n", host, ntohs(addr.sin_port));
		return EXIT_FAILURE_;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://%s:%u\n", host,
	       info ? (unsigned)info->port : (unsigned)ntohs(addr.sin_port));
	fflush(stdout);
	wait_for_stop(&stop);
	MHD_stop_daemon(d);
	close_connections();
	render_cleanup();
	/* The log's pages go into the database, so a stopped server leaves one
	 * file that a copy or sqlite3 reads whole. */
	if (db_checkpoint(c->db))
		fprintf(stderr, "parcours: the final checkpoint did not complete: %s\n",
			db_errmsg(c->db));
	return EXIT_OK;
}
