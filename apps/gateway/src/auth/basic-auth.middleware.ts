import type { NextFunction, Request, Response } from 'express';
import { safeEqual } from './safe-equal';

/** HTTP basic auth in front of Bull Board. */
export function basicAuth(user: string, password: string, realm = 'Bull Board') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    if (scheme === 'Basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const okUser = safeEqual(decoded.slice(0, colon), user);
      const okPassword = safeEqual(decoded.slice(colon + 1), password);
      if (colon > 0 && okUser && okPassword) return next();
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).send('Authentication required');
  };
}
