import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Interactive API docs (Swagger UI) for a system, reading the contract it serves at /openapi.json. */
export function createDocsRouter(title: string): Router {
  const router = Router();
  const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)} — API docs</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: true });
  </script>
</body>
</html>`;
  router.get('/', (req, res) => {
    // Relative asset URLs only resolve from /docs/, so /docs is sent there first.
    if (!req.originalUrl.endsWith('/')) return res.redirect(301, `${req.originalUrl}/`);
    res.type('html').send(page);
  });
  router.use(express.static(swaggerUiDir, { index: false }));
  return router;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
