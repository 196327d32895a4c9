import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AppProvider } from './app/provider';
// In cascade order: later files build on the variables and rules of earlier ones.
import './styles/base.css';
import './styles/forms.css';
import './styles/jobs.css';
import './styles/widgets.css';
import './styles/pages.css';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

createRoot(container).render(
  <StrictMode>
    <AppProvider>
      <App />
    </AppProvider>
  </StrictMode>,
);
