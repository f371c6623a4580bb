/** Style sheets the theme imports for their effect; Vite bundles them. */
declare module '*.css';
