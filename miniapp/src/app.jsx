import React from "react";
import { AnimationRoutes, App, Route, SnackbarProvider, ZMPRouter } from "zmp-ui";
import Account from "./pages/Account.jsx";
import Apply from "./pages/Apply.jsx";
import { DossierDetail, DossierList, Submitted } from "./pages/Dossiers.jsx";
import { FeedbackList, FeedbackNew } from "./pages/Feedback.jsx";
import Home from "./pages/Home.jsx";
import Lookup from "./pages/Lookup.jsx";
import { ProcedureDetail, ProcedureList } from "./pages/Procedures.jsx";

export default function MotcuaApp() {
  return (
    <App>
      <SnackbarProvider>
        <ZMPRouter memoryRouter>
          <AnimationRoutes>
            <Route path="/" element={<Home />} />
            <Route path="/thu-tuc" element={<ProcedureList />} />
            <Route path="/thu-tuc/:code" element={<ProcedureDetail />} />
            <Route path="/nop/:code" element={<Apply />} />
            <Route path="/da-nop/:code" element={<Submitted />} />
            <Route path="/ho-so" element={<DossierList />} />
            <Route path="/ho-so/:code" element={<DossierDetail />} />
            <Route path="/tra-cuu" element={<Lookup />} />
            <Route path="/phan-anh" element={<FeedbackList />} />
            <Route path="/phan-anh/moi" element={<FeedbackNew />} />
            <Route path="/tai-khoan" element={<Account />} />
          </AnimationRoutes>
        </ZMPRouter>
      </SnackbarProvider>
    </App>
  );
}
